"""An instructor's course and account tools in Chromium, JavaScript on and off, against a
real server: duplicate a bundled course, open a file from the tree (YAML highlighted as
YAML), follow an error's link to its line, preview a point from unsaved YAML, add a point,
a code exercise, a quiz and a self-check with the forms (which a learner then answers),
export a learner's data and delete the learner after confirming."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curriculum import bundled_course_dirs
from tests.e2e.conftest import assert_accessible
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "correct horse 1"
TEACHER = "teacher@example.org"
FILE = "sections/01-fastapi-fundamentals.yaml"
POINT_TITLE = "A modern, async-first Python web framework"


def _create(env: dict[str, str], email: str, *flags: str) -> None:
    created = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "user", "create", email, *flags, "--password-stdin"],
        input=PASSWORD + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("tools")
    env = {
        "TUTOR_DATA_DIR": str(root / "data"),
        "DATABASE_URL": "",
        "TUTOR_COURSES_DIR": str(root / "courses"),
        "TUTOR_MODEL": "",
    }
    _create(env, TEACHER, "--instructor")
    for js in ("js", "no-js"):
        _create(env, f"learner-{js}@example.org")
        _create(env, f"student-{js}@example.org")
    s = Server(env).start()
    yield s
    s.stop()


def _login(browser: Any, url: str, email: str, *, js: bool) -> Any:
    page = browser.new_context(java_script_enabled=js, accept_downloads=True).new_page()
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def _set_content(page: Any, text: str, *, js: bool) -> None:
    """Replace the editor's text as typing would (CodeMirror with JS, the textarea without)."""
    if js:
        page.evaluate(
            """(text) => { const v = document.querySelector('[data-editor]').tutorView;
            v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }""",
            text,
        )
    else:
        page.fill("#content", text)


def _assert_yaml_highlighted(page: Any) -> None:
    """CodeMirror edits the file in its YAML mode, and a key is a highlighted token."""
    page.locator(".cm-content[data-language='yaml']").wait_for()
    key = page.locator(".cm-line span", has_text=re.compile(r"^title$")).first
    plain = "getComputedStyle(document.querySelector('.cm-content')).color"
    assert key.evaluate("e => getComputedStyle(e).color") != page.evaluate(plain)


def _with_error(text: str) -> tuple[str, int]:
    """``text`` with an unknown key on its first topic, and that key's line (1-based)."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if re.match(r"^\s*- id: ", line)) + 1
    indent = re.match(r"^(\s*)- ", lines[at - 1])
    assert indent is not None
    lines.insert(at, f"{indent.group(1)}  colour: red\n")
    return "".join(lines), at + 1


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_course_tools_journey(browser: Any, server: Server, screenshots: Path, js: bool) -> None:
    tag = "js" if js else "no-js"
    page = _login(browser, server.url, TEACHER, js=js)
    page.goto(f"{server.url}/instructor/courses/python-backend/edit")
    page.fill("#new-id", f"backend-{tag}")
    page.fill("#new-title", f"Backend ({tag})")
    page.click("#duplicate-submit")
    page.wait_for_load_state()
    assert f"/instructor/courses/backend-{tag}/edit" in page.url
    assert "This is your copy" in page.inner_text("main")
    assert "Validate and save" in page.inner_text("main")

    page.locator("nav.file-tree-nav summary", has_text="sections/").click()
    page.click(f"nav.file-tree-nav a[href$='{FILE}']")
    page.wait_for_load_state()
    assert f"Contents of {FILE}" in page.inner_text("main")
    if js:
        _assert_yaml_highlighted(page)
    page.screenshot(path=str(screenshots / f"editor-tree-{tag}.png"), full_page=False)

    original = (bundled_course_dirs()["python-backend"] / FILE).read_text()
    _set_content(page, original.replace(POINT_TITLE, f"Previewed title {tag}"), js=js)
    page.select_option("#preview-point", "modern-async-framework")
    with page.context.expect_page() as opened:
        page.click("#preview-button")
    preview = opened.value
    preview.wait_for_load_state()
    assert f"Previewed title {tag}" in preview.inner_text("main")
    assert "Preview of the unsaved file" in preview.inner_text("main")
    preview.screenshot(path=str(screenshots / f"editor-preview-{tag}.png"), full_page=False)
    preview.close()

    broken, line = _with_error(original)
    _set_content(page, broken, js=js)
    page.click("text=Validate and save")
    page.wait_for_load_state()
    link = page.locator("a.problem-link", has_text=f"{FILE}:{line}")
    assert link.count() == 1  # the error names the file relative to the course, and the line
    assert "/tmp" not in page.inner_text("main")
    if js:
        page.locator("a.problem-link").first.click()
        link.click()
        assert page.get_attribute("[data-editor]", "data-cursor-line") == str(line)
        assert "colour: red" in page.inner_text(".cm-activeLine")
        column = page.evaluate(
            """() => { const v = document.querySelector('[data-editor]').tutorView;
            const head = v.state.selection.main.head;
            return head - v.state.doc.lineAt(head).from; }"""
        )
        assert column == broken.splitlines()[line - 1].index("colour")  # at the key itself
    page.screenshot(path=str(screenshots / f"editor-error-{tag}.png"), full_page=False)
    if js:
        assert_accessible(page, "editor with problems")

    page.goto(f"{server.url}/instructor/courses/backend-{tag}/edit")
    page.click("text=New point")
    page.select_option("#topic", "what-is-fastapi")
    page.fill("#point-id", f"new-point-{tag}")
    page.fill("#point-title", f"A new point ({tag})")
    page.click("#add-point")
    page.wait_for_load_state()
    assert f"id: new-point-{tag}" in page.input_value("#content")
    page.goto(f"{server.url}/instructor/courses/backend-{tag}/edit")
    page.click("text=New exercise")
    page.select_option("#topic", "what-is-fastapi")
    page.fill("#exercise-id", f"new-exercise-{tag}")
    page.fill("#exercise-title", f"A new exercise ({tag})")
    page.fill("#exercise-prompt", "Return 42 from `solve()`.")
    page.screenshot(path=str(screenshots / f"editor-new-exercise-{tag}.png"), full_page=True)
    if js:
        assert_accessible(page, "new exercise form")
    page.click("#add-exercise")
    page.wait_for_load_state()
    assert f"id: new-exercise-{tag}" in page.input_value("#content")
    page.goto(f"{server.url}/courses/backend-{tag}/exercises/new-exercise-{tag}")
    assert f"A new exercise ({tag})" in page.inner_text("main")
    page.context.close()


def _duplicate(page: Any, url: str, new_id: str) -> None:
    page.goto(f"{url}/instructor/courses/python-backend/edit")
    if not page.locator("#new-id").is_visible():
        page.click("#duplicate summary")
    page.fill("#new-id", new_id)
    page.click("#duplicate-submit")
    page.wait_for_load_state()
    assert f"/instructor/courses/{new_id}/edit" in page.url


def _start_exercise(page: Any, url: str, course: str, kind: str, exercise_id: str) -> None:
    """Open "New exercise", choose the kind, and fill what every kind has."""
    page.goto(f"{url}/instructor/courses/{course}/edit")
    page.click("text=New exercise")
    page.check(f"#kind-{kind}")
    page.select_option("#topic", "what-is-fastapi")
    page.fill("#exercise-id", exercise_id)
    page.fill("#exercise-title", f"Title of {exercise_id}")
    page.fill("#exercise-prompt", f"Prompt of {exercise_id}.")


def _opened_at(page: Any, exercise_id: str, *, js: bool) -> None:
    """The editor opened on the section file, at the new exercise (with JS, its cursor)."""
    page.wait_for_load_state()
    text = page.input_value("#content")
    assert f"- id: {exercise_id}\n" in text
    if js:
        line = text.splitlines().index(f"  - id: {exercise_id}") + 1
        assert page.get_attribute("[data-editor]", "data-cursor-line") == str(line)


def _add_quiz(page: Any, url: str, course: str, shots: Path, *, js: bool) -> None:
    tag = "js" if js else "no-js"
    _start_exercise(page, url, course, "quiz", f"quiz-{tag}")
    # only the quiz's fields show (with JS, authoring.js; without, the style sheet)
    assert page.locator("#code-fields").is_hidden()
    assert page.locator("#self-check-fields").is_hidden()
    assert page.locator("#q1-answers").is_hidden()
    page.fill("#q1-prompt", "Which server runs a FastAPI app?")
    page.select_option("#q1-type", "single")
    page.fill("#q1-o1-text", "uvicorn")
    page.fill("#q1-o1-explanation", "An ASGI server.")
    page.fill("#q1-o2-text", "Yes")
    page.check("#q1-o1-correct")
    page.check("#q1-o2-correct")  # two correct answers to a single choice: refused
    page.fill("#q1-explanation", "FastAPI is an ASGI app; uvicorn serves it.")
    page.click("#add-question")
    page.wait_for_load_state()
    assert page.locator("#q2-prompt").count() == 1
    page.fill("#q2-prompt", "Which decorator declares a GET route?")
    page.select_option("#q2-type", "short")
    assert page.locator("#question-2 .options").is_hidden()
    assert page.locator("#q2-answers").is_visible()
    page.fill("#q2-answers", "@app.get\napp.get")
    page.click("#add-exercise")
    page.wait_for_load_state()
    error = "Question 1: a single-choice question needs exactly one correct option, it has 2"
    assert error in page.inner_text("#form-errors")
    page.screenshot(path=str(shots / f"new-quiz-error-{tag}.png"), full_page=True)
    if js:
        assert_accessible(page, "new quiz form with an error")
    page.uncheck("#q1-o2-correct")
    page.click("#add-exercise")
    _opened_at(page, f"quiz-{tag}", js=js)


def _add_self_check(page: Any, url: str, course: str, shots: Path, *, js: bool) -> None:
    tag = "js" if js else "no-js"
    _start_exercise(page, url, course, "self-check", f"review-{tag}")
    assert page.locator("#quiz-fields").is_hidden()
    assert page.locator("#code-fields").is_hidden()
    page.fill("#exercise-rubric", "- The app has a /health route.\n- Its test passes.")
    page.fill("#exercise-model-answer", "```python\n@app.get('/health')\n```")
    page.screenshot(path=str(shots / f"new-self-check-{tag}.png"), full_page=True)
    page.click("#add-exercise")
    _opened_at(page, f"review-{tag}", js=js)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_add_a_quiz_and_a_self_check_then_a_learner_answers_them(
    browser: Any, server: Server, screenshots: Path, js: bool
) -> None:
    tag = "js" if js else "no-js"
    course = f"kinds-{tag}"
    page = _login(browser, server.url, TEACHER, js=js)
    _duplicate(page, server.url, course)
    _add_quiz(page, server.url, course, screenshots, js=js)
    _add_self_check(page, server.url, course, screenshots, js=js)
    page.context.close()

    learner = _login(browser, server.url, f"student-{tag}@example.org", js=js)
    learner.goto(f"{server.url}/courses/{course}/exercises/quiz-{tag}")
    learner.get_by_label("uvicorn").check()
    learner.fill("#q-q2", "@app.get")
    learner.click("#check-button")
    learner.wait_for_selector("#quiz .verdict-pass")
    assert "All correct" in learner.inner_text("#quiz")
    assert "An ASGI server." in learner.inner_text("#quiz")  # the option's explanation
    learner.screenshot(path=str(screenshots / f"learner-new-quiz-{tag}.png"), full_page=True)
    learner.goto(f"{server.url}/courses/{course}/exercises/review-{tag}")
    learner.get_by_label("The app has a /health route.").check()
    learner.get_by_label("Its test passes.").check()
    learner.click("#check-button")
    learner.wait_for_selector("#result pre")
    assert "@app.get('/health')" in learner.inner_text("#result")  # the model answer
    learner.screenshot(path=str(screenshots / f"learner-new-self-check-{tag}.png"), full_page=True)
    learner.context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_export_then_delete_a_learner(
    browser: Any, server: Server, screenshots: Path, js: bool
) -> None:
    tag = "js" if js else "no-js"
    email = f"learner-{tag}@example.org"
    learner = _login(browser, server.url, email, js=False)
    learner.goto(f"{server.url}/courses/python-backend/learn/modern-async-framework")
    learner.click("#next-link")
    learner.wait_for_load_state()
    learner.context.close()

    page = _login(browser, server.url, TEACHER, js=js)
    page.goto(f"{server.url}/instructor/courses/python-backend")
    page.click(f"text={email}")
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.click("#export-link")
    data = json.loads(Path(download.value.path()).read_text())
    assert data["learner"]["email"] == email
    assert any(r["target_id"] == "modern-async-framework" for r in data["tables"]["progress_event"])

    page.click("#delete-link")
    page.wait_for_load_state()
    page.fill("#confirm-email", "someone-else@example.org")
    page.click("#delete-confirm")
    page.wait_for_load_state()
    assert "does not match" in page.inner_text("main")
    page.fill("#confirm-email", email)
    page.screenshot(path=str(screenshots / f"delete-learner-{tag}.png"), full_page=False)
    if js:
        assert_accessible(page, "delete a learner")
    page.click("#delete-confirm")
    page.wait_for_load_state()
    assert "were deleted" in page.inner_text("main")
    page.goto(f"{server.url}/instructor/courses/python-backend")
    assert email not in page.inner_text("main")
    page.context.close()
