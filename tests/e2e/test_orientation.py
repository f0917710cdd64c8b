"""The pages that orient and teach, in Chromium: the catalogue (progress, Continue cards),
the course page (collapsible sections), a section page, a quiz (answers withheld, then
taught) and a code exercise's feedback (plain words, internals behind Details).

Every control of those pages is used, with JavaScript on and off, at 1280 and 390 px:
each summary is toggled, each form submitted, and every link on them is followed (one of
each kind by a click; all of them by a request that must answer 200). No page scrolls
sideways at 390 px, axe finds no serious violation, and each page is saved to
test-artifacts/screenshots/orient-*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curriculum import resolve_course
from curriculum.model import CodeExercise, QuizExercise
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct horse 1"
COURSE = "python-backend"
QUIZ = "fastapi-foundations-quiz"
CODE = "pydantic-signup-validator"
SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("e2e-orient") / "data"
    s = Server({"TUTOR_DATA_DIR": str(data), "DATABASE_URL": "", "TUTOR_COURSES_DIR": ""})
    s.start()
    yield s
    s.stop()


def _check_page(page: Any, screenshots: Path, name: str) -> None:
    """Axe finds no serious violation, nothing scrolls sideways, and a screenshot is kept."""
    page.screenshot(path=str(screenshots / f"orient-{name}.png"), full_page=True)
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{name}: the page scrolls sideways ({scroll} > {width} px)"
    _axe(page, name)


def _axe(page: Any, name: str) -> None:
    """axe-core on the page as shown. Without JavaScript the page runs no script, axe
    included, so its document (scripts removed) is checked in a scripted twin page."""
    target = page
    if _scripts_off(page):
        html = re.sub(r"<script\b[\s\S]*?</script>", "", page.content())
        html = html.replace("<head>", f'<head><base href="{page.url}">', 1)
        twin = page.context.browser.new_context(viewport=page.viewport_size)
        target = twin.new_page()
        target.set_content(html, wait_until="load")
    try:
        target.add_script_tag(content=AXE)
        result = target.evaluate("async () => JSON.stringify(await axe.run(document))")
    finally:
        if target is not page:
            target.context.close()
    found = json.loads(result)["violations"]
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert not bad, f"{name}: accessibility violations {details}"


def _scripts_off(page: Any) -> bool:
    """Whether the page runs no JavaScript (its context was made without it)."""
    return bool(page.evaluate("document.documentElement.dataset.theme === undefined"))


def _links_answer(page: Any, url: str) -> None:
    """Every link of the page's main content leads to a page that answers 200."""
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    assert hrefs
    for href in sorted(set(hrefs)):
        if href.startswith(url):
            assert page.request.get(href).status == 200, href


def _signup(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{url}/**")


def _set_code(page: Any, source: str, js: bool) -> None:
    if not js:
        page.fill("#source", source)
        return
    page.click(".cm-content")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def _submit(page: Any, js: bool) -> None:
    """Press Check and wait for the new result: swapped in by htmx, or a new page."""
    if not js:
        with page.expect_navigation():
            page.click("#check-button")
        return
    page.evaluate(
        "document.querySelectorAll('#quiz, #result > *').forEach(e => e.dataset.old = '1')"
    )
    page.click("#check-button")
    page.wait_for_selector(
        "#quiz:not([data-old]), #result > section.verdict:not([data-old])", timeout=60_000
    )


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("size", list(SIZES))
def test_orienting_and_teaching_pages(
    browser: Any, server: Server, screenshots: Path, js: bool, size: str
) -> None:
    url = server.url
    tag = f"{size}-{'js' if js else 'nojs'}"
    context = browser.new_context(viewport=SIZES[size], java_script_enabled=js)
    page = context.new_page()
    _signup(page, url, f"orient-{tag}@example.org")
    course = resolve_course(COURSE)

    # the catalogue: facts for every course; nothing started yet
    page.goto(f"{url}/")
    main = page.inner_text("main")
    assert "Continue where you left off" not in main
    assert "Intermediate · about 40 hours" in main
    _check_page(page, screenshots, f"catalogue-new-{tag}")
    _links_answer(page, url)

    # the course page: one section open, each summary opens and closes its section
    page.click(f"main a[href='/courses/{COURSE}']")
    page.wait_for_url(f"{url}/courses/{COURSE}")
    details = page.locator("ol.sections details")
    assert details.count() == len(course.sections)
    assert page.locator("ol.sections details[open]").count() == 1
    assert "Exercise: " not in page.inner_text("main")
    _check_page(page, screenshots, f"course-{tag}")
    for i in range(details.count()):
        section = details.nth(i)
        was_open = section.get_attribute("open") is not None
        section.locator("summary").click()
        assert (section.get_attribute("open") is not None) != was_open
        section.locator("summary").click()
    _links_answer(page, url)
    first = course.sections[0].topics[0].points[0]
    page.click(f"main a[href='/courses/{COURSE}/learn/{first.id}']")  # a point link
    page.wait_for_url(f"{url}/courses/{COURSE}/learn/{first.id}")

    # a section's own page, with the notebook
    page.goto(f"{url}/courses/{COURSE}")
    section = course.sections[0]
    page.click(f"main a[href='/courses/{COURSE}/sections/{section.id}']")
    page.wait_for_url(f"{url}/courses/{COURSE}/sections/{section.id}")
    assert page.locator("input[type=file][name=notebook]").count() == 1
    _check_page(page, screenshots, f"section-{tag}")

    # the catalogue now offers to continue the started course
    page.goto(f"{url}/")
    cards = page.locator(".continue-card")
    assert cards.count() == 1
    _check_page(page, screenshots, f"catalogue-continue-{tag}")
    cards.first.locator("a.button.primary").click()
    page.wait_for_url(f"{url}/courses/{COURSE}/learn/**")

    _quiz(page, url, screenshots, tag, js)
    _code_feedback(page, url, screenshots, tag, js)
    context.close()


def _answer_wrong(page: Any, quiz: QuizExercise, js: bool) -> None:
    """Every question answered, question 2 and 4 wrong."""
    for n, q in enumerate(quiz.questions, start=1):
        if q.type == "short":
            page.fill(f"#q-{q.id}", "dict()" if n == 4 else q.answers[0])
            continue
        right = [i for i, o in enumerate(q.options) if o.correct]
        for i in range(len(q.options)):
            box = page.locator(f"#q-{q.id}-{i}")
            if q.type == "multiple" and box.is_checked():
                box.uncheck()
        chosen = right[:-1] if n == 2 else right
        for i in chosen:
            page.check(f"#q-{q.id}-{i}")
    _submit(page, js)
    page.wait_for_selector("#quiz .verdict-fail", timeout=30_000)


def _quiz(page: Any, url: str, screenshots: Path, tag: str, js: bool) -> None:
    quiz = resolve_course(COURSE).outline.exercise(QUIZ)
    assert quiz is not None and isinstance(quiz.exercise, QuizExercise)
    exercise = quiz.exercise
    explanation = exercise.questions[0].options[0].explanation[:30]
    page.goto(f"{url}/courses/{COURSE}/exercises/{QUIZ}")
    _answer_wrong(page, exercise, js)
    text = page.inner_text("#quiz")
    assert "Questions 2 and 4 are not right yet" in text
    assert "You answered: “dict()”" in text
    assert explanation not in text and "a right answer" not in text
    _check_page(page, screenshots, f"quiz-wrong-{tag}")
    _answer_wrong(page, exercise, js)
    _answer_wrong(page, exercise, js)  # the third try: the answers are due
    text = page.inner_text("#quiz")
    assert explanation in text and "a right answer" in text
    assert page.locator("#quiz .explanation code").count() > 0  # explanations as markdown
    _check_page(page, screenshots, f"quiz-taught-{tag}")


def _code_feedback(page: Any, url: str, screenshots: Path, tag: str, js: bool) -> None:
    ref = resolve_course(COURSE).outline.exercise(CODE)
    assert ref is not None and isinstance(ref.exercise, CodeExercise)
    page.goto(f"{url}/courses/{COURSE}/exercises/{CODE}")
    source = (
        "def register(data):\n"
        "    return {'username': data['username'].strip().lower(), 'email': data['email']}\n"
    )
    _set_code(page, source, js)
    _submit(page, js)
    page.wait_for_selector("#result .verdict-fail", timeout=60_000)
    result = page.locator("#result")
    assert "a 2-character username is too short. Your code: register(" in result.inner_text()
    details = result.locator("details.check-details").first
    assert not details.locator("pre").is_visible()
    details.locator("summary").click()
    assert details.locator("pre").is_visible()
    assert "assert " in details.locator("pre").inner_text()
    assert "hint(s)" not in result.inner_text()
    _check_page(page, screenshots, f"exercise-feedback-{tag}")
