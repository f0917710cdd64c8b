"""A learner's journey through the flagship course in a real browser, with screenshots and
an axe-core accessibility check (no serious or critical violations) on the main pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curriculum import resolve_course
from curriculum.model import CodeExercise, Course, QuizExercise
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct horse 1"
COURSE = "python-backend"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("e2e") / "data"
    s = Server({"TUTOR_DATA_DIR": str(data), "DATABASE_URL": "", "TUTOR_COURSES_DIR": ""})
    s.start()
    yield s
    s.stop()


def _points(course: Course, section: int) -> list[str]:
    return [p.id for t in course.sections[section].topics for p in t.points]


def _first(course: Course, kind: type[Any]) -> Any:
    for s in course.sections:
        for t in s.topics:
            for e in t.exercises:
                if isinstance(e, kind):
                    return e
    raise AssertionError(f"no {kind.__name__} in {course.id}")


def _axe(page: Any, name: str) -> None:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    bad = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert not bad, f"{name}: accessibility violations {details}"


def _shot(page: Any, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def _signup(page: Any, url: str, email: str, setup_token: str = "") -> None:
    page.goto(f"{url}/signup")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    if setup_token:
        page.fill("#setup_token", setup_token)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{url}/**")


def _login(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _set_code(page: Any, source: str) -> None:
    """Replace the code in the exercise page's editor (CodeMirror), as a person pasting."""
    page.click(".cm-content")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def _bar(page: Any) -> int:
    return int(page.get_attribute(".bar[role=progressbar]", "aria-valuenow"))


def test_learner_journey(browser: Any, server: Server, screenshots: Path) -> None:
    url = server.url
    course = resolve_course(COURSE)
    teacher = browser.new_context()
    tpage = teacher.new_page()
    token = re.search(r"setup token (\S+) ", server.log.read_text())  # printed by tutor serve
    assert token, "tutor serve printed no setup token"
    _signup(tpage, url, "teacher@example.org", token.group(1))  # the first instructor

    learner = browser.new_context(viewport={"width": 1100, "height": 900})
    page = learner.new_page()
    _signup(page, url, "learner@example.org")
    assert page.locator("h1").inner_text() == "Courses"
    _shot(page, screenshots, "catalogue")
    _axe(page, "catalogue")

    page.click(f"a[href='/courses/{COURSE}']")
    page.wait_for_url(f"{url}/courses/{COURSE}")
    before = _bar(page)
    _shot(page, screenshots, "course")
    _axe(page, "course")

    page.click("text=Start the course")
    first = _points(course, 0)[0]
    page.wait_for_url(f"{url}/courses/{COURSE}/learn/{first}")
    assert course.sections[0].topics[0].points[0].title in page.locator("h1").inner_text()
    _shot(page, screenshots, "lesson")
    _axe(page, "lesson")
    page.click("#next-link")  # "Done, next": the first point is completed
    page.wait_for_url(f"{url}/courses/{COURSE}/learn/{_points(course, 0)[1]}")

    last = _points(course, 0)[-1]
    page.goto(f"{url}/courses/{COURSE}/learn/{last}")
    assert page.inner_text("#next-link").startswith("Next: practise")  # practice comes next
    page.click("#next-link")
    page.wait_for_url(f"{url}/courses/{COURSE}/exercises/**")

    code = _first(course, CodeExercise)
    page.goto(f"{url}/courses/{COURSE}/exercises/{code.id}")
    _set_code(page, str(code.starter))
    page.click("#check-button")
    page.wait_for_selector("#result .verdict-fail", timeout=60_000)
    _set_code(page, str(code.solution))
    page.click("#check-button")
    page.wait_for_selector("#result .verdict-pass", timeout=60_000)
    _shot(page, screenshots, "exercise")
    _axe(page, "exercise")

    quiz = _first(course, QuizExercise)
    page.goto(f"{url}/courses/{COURSE}/exercises/{quiz.id}")
    for q in quiz.questions:
        if q.type == "short":
            page.fill(f"#q-{q.id}", q.answers[0])
        for i, option in enumerate(q.options):
            if option.correct:
                page.check(f"#q-{q.id}-{i}")
    page.click("#check-button")
    page.wait_for_selector("#quiz .verdict-pass", timeout=30_000)
    _shot(page, screenshots, "quiz")

    page.goto(f"{url}/courses/{COURSE}")
    after = _bar(page)
    assert after > before

    page.click("button:has-text('Log out')")
    page.wait_for_load_state()
    _shot(page, screenshots, "login")
    _login(page, url, "learner@example.org")
    page.goto(f"{url}/courses/{COURSE}")
    assert _bar(page) == after
    assert "Resume where I left off" in page.inner_text("main")
    page.goto(f"{url}/courses/{COURSE}/progress")
    assert code.id in page.inner_text("main")
    _shot(page, screenshots, "progress")
    _axe(page, "progress")
    page.goto(f"{url}/login")
    _axe(page, "login")

    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/courses/{COURSE}/learn/{first}")
    assert page.get_attribute("html", "data-theme") == "dark"
    _shot(page, screenshots, "lesson-phone-dark")
    _axe(page, "lesson (phone, dark)")

    tpage.goto(f"{url}/instructor/courses/{COURSE}")
    assert "learner@example.org" in tpage.inner_text("#class-table")
    _shot(tpage, screenshots, "instructor-dashboard")
    _axe(tpage, "instructor dashboard")
    teacher.close()
    learner.close()
