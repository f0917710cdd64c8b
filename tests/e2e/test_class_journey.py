"""An instructor runs a class in a real browser, with JavaScript on and off: creates the
class, copies the invite, a learner signs up through the invite link and joins, fails a
quiz three times, and the instructor sees the attempts in the gradebook, filters and
sorts it, finds the stuck learner, opens their attempts and downloads the CSV; then
hands the learner a one-time password reset link, which the learner uses, and
duplicates the course.
Screenshots of each page go to test-artifacts/screenshots/ (class-*.png)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.server import CSRF_RE, Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PASSWORD = "correct horse 1"
COURSES = Path(__file__).resolve().parents[1] / "web" / "courses"
TEACHER = "teacher@example.org"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("e2e-classes")
    shutil.copytree(COURSES, root / "courses")
    s = Server(
        {
            "TUTOR_DATA_DIR": str(root / "data"),
            "DATABASE_URL": "",
            "TUTOR_COURSES_DIR": str(root / "courses"),
        }
    )
    s.start()
    token = re.search(r"setup token (\S+) ", s.log.read_text())  # printed by tutor serve
    assert token, "tutor serve printed no setup token"
    with httpx.Client(base_url=s.url) as c:  # the first instructor, as the README says
        form = CSRF_RE.search(c.get("/signup").text)
        assert form
        data = {"email": TEACHER, "password": PASSWORD, "csrf_token": form.group(1)}
        r = c.post("/signup", data=data | {"setup_token": token.group(1)})
        assert r.status_code == 303, r.text
    yield s
    s.stop()


def _axe(page: Any, name: str) -> None:
    page.add_script_tag(content=AXE)
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    bad = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    assert not bad, f"{name}: accessibility violations {details}"


def _shot(page: Any, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_instructor_runs_a_class(browser: Any, server: Server, screenshots: Path, js: bool) -> None:
    url, mode = server.url, "js" if js else "nojs"
    learner_email = f"ada-{mode}@example.org"
    teacher = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    if js:
        teacher.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    t = teacher.new_page()
    t.goto(f"{url}/login")
    t.fill("#email", TEACHER)
    t.fill("#password", PASSWORD)
    t.click("main button[type=submit]")
    t.wait_for_load_state()

    # create the class
    t.click("nav >> text=Classes")
    t.fill("#class-name", f"Evening group {mode}")
    t.check("input[name=courses][value=mini]")
    t.click("#create-form button[type=submit]")
    t.wait_for_url(re.compile(r".*/classes/\d+\?note=created"))
    assert "Class created" in t.inner_text("main")
    class_url = t.url.split("?")[0]
    invite = t.input_value("#invite-url")
    assert re.fullmatch(rf"{re.escape(url)}/join/[A-Z2-9]{{8}}", invite)
    if js:
        t.click("#copy-invite")
        t.wait_for_selector("#copy-invite >> text=Copied", timeout=5000)
        assert t.evaluate("navigator.clipboard.readText()") == invite
    _shot(t, screenshots, f"class-page-{mode}")
    if js:  # axe-core is a script: the JS-off run cannot inject it
        _axe(t, "class page")
    # the teacher trying their own link is shown the way into the class, not a Join button
    t.goto(invite)
    assert "You teach this class" in t.inner_text("main")
    assert t.locator("text=Join the class").count() == 0
    _shot(t, screenshots, f"class-invite-teacher-{mode}")
    t.click(f"main >> text=Open Evening group {mode}")
    t.wait_for_url(class_url)

    # a new learner follows the link, signs up, joins, and fails the quiz three times
    learner = browser.new_context(java_script_enabled=js, viewport={"width": 390, "height": 844})
    p = learner.new_page()
    p.goto(invite)
    assert "/login?next=" in p.url
    p.click("main >> text=Sign up")
    p.fill("#email", learner_email)
    p.fill("#password", PASSWORD)
    p.click("button[type=submit].primary")
    p.wait_for_url(invite)
    _shot(p, screenshots, f"class-join-{mode}")
    p.click("text=Join the class")
    p.wait_for_url(re.compile(r".*/classes/\d+\?note=joined"))
    assert "You joined Evening group" in p.inner_text("main")
    assert p.locator("#invite-url").count() == 0  # learners see no staff views
    p.goto(invite)  # the link again, once in: a way in, no second Join
    assert "You are in this class already" in p.inner_text("main")
    p.click(f"main >> text=Open Evening group {mode}")
    p.wait_for_url(class_url)
    for _ in range(3):
        p.goto(f"{url}/courses/mini/exercises/sum-quiz")
        p.check("#q-two-plus-two-1")
        p.click("#check-button")
        p.wait_for_selector("#quiz >> text=0 of 1 correct", timeout=15000)
    p.goto(f"{url}/classes")
    assert f"Evening group {mode}" in p.inner_text("#learning")
    learner.close()

    # the instructor sees the attempts arrive in the gradebook
    t.goto(class_url)
    t.click("#gradebook-link")
    table = t.inner_text("#gradebook")
    assert learner_email in table and "tried" in table and "3×" in table
    _shot(t, screenshots, f"class-gradebook-{mode}")
    if js:  # axe-core is a script: the JS-off run cannot inject it
        _axe(t, "gradebook")
    t.select_option("#gb-exercise", "mini/sum-quiz")
    t.select_option("#gb-status", "passed")
    t.click("#gradebook-filter button[type=submit]")
    t.wait_for_load_state()
    assert learner_email not in t.inner_text("main")
    t.select_option("#gb-status", "tried")
    t.click("#gradebook-filter button[type=submit]")
    t.wait_for_load_state()
    assert learner_email in t.inner_text("#gradebook")
    t.click("#gradebook thead >> text=Attempts")
    t.wait_for_url(re.compile(r".*sort=attempts.*"))
    assert learner_email in t.inner_text("#gradebook")

    # who needs help: the stuck learner, and their attempts
    t.goto(class_url)
    t.click("#help-link")
    stuck = t.inner_text("#stuck")
    assert learner_email in stuck and "A quiz on sums" in stuck
    _shot(t, screenshots, f"class-help-{mode}")
    if js:  # axe-core is a script: the JS-off run cannot inject it
        _axe(t, "who needs help")
    t.click(f"#stuck >> text={learner_email}")
    t.wait_for_load_state()
    assert t.locator("#class-attempts tbody tr").count() == 3
    assert "failed" in t.inner_text("#class-attempts")
    _shot(t, screenshots, f"class-learner-{mode}")

    # and downloads the CSV
    t.goto(f"{class_url}/gradebook")
    with t.expect_download() as download:
        t.click("#csv-link")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert learner_email in text and "mini/sum-quiz status" in text

    # the learner forgot their password: a one-time link from the learner's page
    t.goto(class_url)
    t.click("#gradebook-link")
    t.click(f"#gradebook >> text={learner_email}")
    t.click("text=the learner's page")
    t.click("#reset-link-form button[type=submit]")
    reset_url = t.input_value("#reset-url")
    _shot(t, screenshots, f"class-reset-link-{mode}")
    other = browser.new_context(java_script_enabled=js)
    r = other.new_page()
    r.goto(reset_url)
    r.fill("#password", "my new password 2")
    r.click("main button[type=submit]")
    assert "was changed" in r.inner_text("main")
    r.click("main >> text=Log in")
    r.fill("#email", learner_email)
    r.fill("#password", "my new password 2")
    r.click("main button[type=submit]")
    r.wait_for_load_state()
    assert learner_email in r.inner_text("header")
    other.close()

    # course tools: duplicate the class's course, then edit the copy
    t.goto(f"{url}/instructor/courses/mini/edit")
    t.click("#duplicate summary")
    t.fill("#new-id", f"mini-{mode}")
    t.click("#duplicate-form button[type=submit]")
    t.wait_for_url(re.compile(rf".*/instructor/courses/mini-{mode}/edit.*"))
    assert "This is your copy" in t.inner_text("main")
    _shot(t, screenshots, f"class-duplicated-{mode}")
    teacher.close()
