"""The exercise page's code editor in Chromium: CodeMirror with JavaScript on (typing,
Python highlighting, indentation, leaving by keyboard, Check), the plain textarea with
JavaScript off, and the committed bundle (and /docs' Swagger UI files) are exactly what
scripts/build-assets builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curriculum import resolve_course
from curriculum.model import CodeExercise, source_text
from exercises.grade import find_exercise
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
COURSE = "python-backend"
EXERCISE = "strictly-typed-port-parser"
EMAIL, PASSWORD = "editor@example.org", "correct horse 1"
# Swagger UI for /docs (web.routes.ops.api_docs), copied from swagger-ui-dist
SWAGGER_FILES = ("LICENSE.txt", "favicon-32x32.png", "swagger-ui-bundle.js", "swagger-ui.css")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("editor") / "data"
    env = {"TUTOR_DATA_DIR": str(data), "DATABASE_URL": "", "TUTOR_COURSES_DIR": ""}
    created = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "user", "create", EMAIL, "--password-stdin"],
        input=PASSWORD + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    s = Server(env).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def exercise() -> CodeExercise:
    found = find_exercise(resolve_course(COURSE), EXERCISE)
    assert isinstance(found, CodeExercise)
    return found


def _login(page: Any, url: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _open(browser: Any, url: str, *, js: bool) -> Any:
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, url)
    page.goto(f"{url}/courses/{COURSE}/exercises/{EXERCISE}?reset=1")
    return page


def test_codemirror_edits_highlights_and_checks(
    browser: Any, server: Server, exercise: CodeExercise, screenshots: Path
) -> None:
    page = _open(browser, server.url, js=True)
    editor = page.locator(".cm-editor")
    editor.wait_for()
    assert page.locator("#source").is_hidden()  # the textarea stays in the form, hidden
    content = page.locator(".cm-content")
    assert content.get_attribute("aria-label") == "Your code"
    assert "def parse_port" in content.inner_text()
    assert page.locator(".cm-line span").count() > 0  # Python tokens are highlighted

    content.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type("def f(x):")
    page.keyboard.press("Enter")
    page.keyboard.type("return x")
    assert page.input_value("#source") == "def f(x):\n    return x"  # auto-indented, synced

    page.wait_for_timeout(500)  # let a completion list open, as it would for a person
    page.keyboard.press("Escape")  # closes the completion list, if one is open
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape, then Tab leaves the editor: no keyboard trap
    assert page.evaluate("document.activeElement.closest('.cm-editor') === null")

    content.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source_text(exercise.solution))
    assert page.input_value("#source").strip() == source_text(exercise.solution).strip()
    page.click("#check-button")
    page.wait_for_selector("#result .verdict-pass", timeout=60_000)
    page.screenshot(path=str(screenshots / "exercise-editor.png"), full_page=True)

    light = page.evaluate("getComputedStyle(document.querySelector('.cm-editor')).backgroundColor")
    page.click("#theme-toggle")  # the editor follows the page into dark mode
    background = "getComputedStyle(document.querySelector('.cm-editor')).backgroundColor"
    page.wait_for_function(f"{background} !== {light!r}")
    page.screenshot(path=str(screenshots / "exercise-editor-dark.png"), full_page=True)
    page.context.close()


def test_without_javascript_the_textarea_is_the_editor(
    browser: Any, server: Server, exercise: CodeExercise, screenshots: Path
) -> None:
    page = _open(browser, server.url, js=False)
    assert page.locator("#source").is_visible()
    assert page.locator(".cm-editor").count() == 0
    page.fill("#source", source_text(exercise.starter))
    page.click("#check-button")
    page.wait_for_load_state()
    assert page.locator(".verdict-fail").count() > 0
    page.screenshot(path=str(screenshots / "exercise-editor-nojs.png"), full_page=True)
    page.context.close()


@pytest.mark.skipif(
    shutil.which("npm") is None and os.environ.get("CI") != "true",
    reason="npm is not installed: the committed bundle cannot be rebuilt here",
)
def test_the_committed_bundle_is_what_the_build_script_builds(tmp_path: Path) -> None:
    built = subprocess.run(
        [str(ROOT / "scripts" / "build-assets"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    static = ROOT / "web" / "static"
    built_files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert [str(p) for p in built_files] == [
        "codemirror.js",
        *(f"swagger-ui/{name}" for name in SWAGGER_FILES),
    ]
    differ = [
        str(p) for p in built_files if (tmp_path / p).read_bytes() != (static / p).read_bytes()
    ]
    assert not differ, (
        f"web/static/{differ} differ from scripts/build-assets' output: run the script "
        "and commit the result"
    )
