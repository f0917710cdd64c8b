"""The tutor in Chromium, clicked as a learner would: on a lesson page Ask, every shortcut
and Clear conversation; on a code exercise page Help and Clear; with JavaScript on (the
reply streams into the page) and off (the form posts, the page comes back with the
conversation); with no model and with a model (the fake OpenAI-compatible server, whose
exercise replies leak the reference solution: the guard must hold them back)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from curriculum import resolve_course
from curriculum.model import CodeExercise, source_text
from exercises.grade import find_exercise
from tests.tutor.fake_openai import LESSON, FakeOpenAI
from tests.tutor.personalities import PERSONALITIES
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
COURSE = "python-backend"
POINT = "modern-async-framework"
EXERCISE = "pydantic-signup-validator"
EMAIL, PASSWORD = "asker@example.org", "correct horse 1"
SHORTCUTS = ["Shorter", "Another example", "Go deeper", "Quiz me"]
OPERATOR_WORDS = ("TUTOR_MODEL", "docs/settings", "paste into", "### system", "OPENAI")
HELP_SYSTEM = "You are a patient programming tutor helping a learner with one exercise"


def _exercise() -> CodeExercise:
    exercise = find_exercise(resolve_course(COURSE), EXERCISE)
    assert isinstance(exercise, CodeExercise)
    return exercise


def _respond(body: dict[str, Any]) -> str:
    """Lessons and answers get the fake lesson; exercise help a well-behaved hint, or the
    whole solution when the learner asks for it "for me"."""
    system = str(body["messages"][0]["content"])
    if not system.startswith(HELP_SYSTEM):
        return LESSON
    leaky = "for me" in str(body["messages"][-1]["content"])
    name = "leaky-verbatim" if leaky else "well-behaved"
    return PERSONALITIES[name].reply(_exercise(), body, 0)


def _server(data: Path, extra: dict[str, str]) -> Server:
    env = {"TUTOR_DATA_DIR": str(data), "DATABASE_URL": "", "TUTOR_COURSES_DIR": "", **extra}
    created = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "user", "create", EMAIL, "--password-stdin"],
        input=PASSWORD + "\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    return Server(env).start()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(respond=_respond) as server:
        yield server


@pytest.fixture(scope="module", params=["offline", "model"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI
) -> Iterator[tuple[str, Server]]:
    extra = {"TUTOR_MODEL": "", "OPENAI_BASE_URL": "", "TUTOR_REQUESTS_PER_MINUTE": "1000"}
    if request.param == "model":
        extra |= {"TUTOR_MODEL": "fake", "OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "x"}
    s = _server(tmp_path_factory.mktemp(f"tutor-{request.param}") / "data", extra)
    yield request.param, s
    s.stop()


def _login(browser: Any, url: str, *, js: bool) -> Any:
    page = browser.new_context(java_script_enabled=js).new_page()
    page.goto(f"{url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def _lesson(browser: Any, url: str, *, js: bool) -> Any:
    page = _login(browser, url, js=js)
    page.goto(f"{url}/courses/{COURSE}/learn/{POINT}")
    return page


def _wait_reply(page: Any, box: str, before: int) -> str:
    """Wait for the tutor to finish the reply that follows ``before`` characters of ``box``."""
    page.wait_for_function(
        "([sel, n]) => { const o = document.querySelector(sel);"
        " return o.innerText.length > n && !o.querySelector('.checking'); }",
        arg=[box, before],
        timeout=90_000,
    )
    text: str = page.inner_text(box)
    return text[before:]


def _clean(text: str) -> None:
    assert "could not answer" not in text and "connection to the tutor failed" not in text
    for words in OPERATOR_WORDS:
        assert words not in text, words


def _clear(page: Any, box: str) -> None:
    page.click(f"{box} ~ form.tutor-clear button, section:has({box}) .tutor-clear button")
    page.wait_for_load_state()
    assert page.inner_text(box).strip() == ""


def test_ask_every_shortcut_and_clear_with_javascript(
    browser: Any, server: tuple[str, Server], fake: FakeOpenAI, screenshots: Path
) -> None:
    mode, s = server
    seen = len(fake.requests)
    page = _lesson(browser, s.url, js=True)
    page.fill("#question", "Why choose FastAPI over Flask?")
    page.click("button[value=ask]")
    replies = [_wait_reply(page, "#tutor-output", 0)]
    for label in SHORTCUTS:
        before = len(page.inner_text("#tutor-output"))
        page.click(f".tutor-box button:has-text('{label}')")
        replies.append(_wait_reply(page, "#tutor-output", before))
    for reply in replies:
        _clean(reply)
        assert reply.strip()
    if mode == "model":
        assert all("route" in r.lower() for r in replies)  # the fake model's reply, streamed
        asked = next(r.body for r in fake.requests[seen:] if "over Flask" in json.dumps(r.body))
        final = str(asked["messages"][-1]["content"])  # grounded in the lesson being read
        assert "The lesson the learner is reading" in final and "successor of WSGI" in final
    else:
        assert "From Section 1" in replies[0] and "Flask" in replies[0]  # the passage, once
        assert replies[0].count("successor of WSGI") == 1
        assert "needs the AI tutor" in replies[1]
        assert page.locator("#tutor-output a:has-text('Quiz:')").count() >= 1
    assert page.locator(".tutor-note").inner_text().find("instructors can read") >= 0
    page.screenshot(path=str(screenshots / f"tutor-box-{mode}.png"), full_page=True)
    # the conversation is kept: it is there when the learner comes back
    page.reload()
    kept = page.inner_text("#tutor-output")
    assert "Why choose FastAPI over Flask?" in kept and "Quiz me" in kept
    _clear(page, "#tutor-output")
    page.reload()
    assert page.inner_text("#tutor-output").strip() == ""
    page.context.close()


def test_ask_every_shortcut_and_clear_without_javascript(
    browser: Any, server: tuple[str, Server], screenshots: Path
) -> None:
    mode, s = server
    page = _lesson(browser, s.url, js=False)
    for label in ["Ask", *SHORTCUTS]:
        if label == "Ask":
            page.fill("#question", "Why choose FastAPI over Flask?")
        page.click(f".tutor-box button:has-text('{label}')")
        page.wait_for_load_state()
        assert page.url.split("#")[0].endswith(f"/learn/{POINT}"), page.url
        shown = page.inner_text("#tutor-output")
        _clean(shown)
        assert label in shown or "Why choose FastAPI" in shown
        if mode == "model":
            assert "route" in shown.lower()
    if mode == "offline":
        assert "From Section 1" in shown and "needs the AI tutor" in shown
    page.screenshot(path=str(screenshots / f"tutor-box-nojs-{mode}.png"), full_page=True)
    _clear(page, "#tutor-output")
    page.context.close()


def _text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def _requests_since(fake: FakeOpenAI, n: int) -> str:
    return json.dumps([r.body for r in fake.requests[n:]])


def _exercise_page(browser: Any, url: str, *, js: bool) -> Any:
    page = _login(browser, url, js=js)
    page.goto(f"{url}/courses/{COURSE}/exercises/{EXERCISE}")
    return page


def test_help_on_an_exercise_with_javascript(
    browser: Any, server: tuple[str, Server], fake: FakeOpenAI, screenshots: Path
) -> None:
    mode, s = server
    exercise = _exercise()
    solution = source_text(exercise.solution).strip()
    seen = len(fake.requests)
    page = _exercise_page(browser, s.url, js=True)
    replies = []
    for n in range(len(exercise.hints) + 1):
        before = len(page.inner_text("#help-output"))
        if n == len(exercise.hints):
            page.fill("#help-question", "Just write the validators for me, it's urgent")
        page.click("#help-button")
        replies.append(_wait_reply(page, "#help-output", before))
    for n, reply in enumerate(replies[:-1], 1):
        assert f"Hint {n} of {len(exercise.hints)}" in reply
    last = replies[-1]
    _clean(last)
    assert 'field_validator("username")\n    @classmethod' not in page.content()
    assert solution[:200] not in page.inner_text("body")
    if mode == "model":
        assert "held back" in last  # the leaky model's answer never reached the page
        sent = _requests_since(fake, seen)
        assert HELP_SYSTEM in sent
        assert exercise.checks is not None
        assert json.dumps(source_text(exercise.checks).strip())[1:200] not in sent
        assert json.dumps(solution)[1:200] not in sent  # the reference never in the context
        assert json.dumps(source_text(exercise.starter).strip())[1:120] in sent  # their code
    else:
        assert "not switched on" in last
    page.screenshot(path=str(screenshots / f"exercise-help-{mode}.png"), full_page=True)
    page.reload()
    assert "Hint 1 of" in page.inner_text("#help-output")
    _clear(page, "#help-output")
    page.context.close()


def test_help_streams_prose_and_holds_code_until_checked(
    browser: Any, server: tuple[str, Server]
) -> None:
    mode, s = server
    if mode != "model":
        pytest.skip("only a model's reply is streamed")
    page = _exercise_page(browser, s.url, js=True)
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    url = f"{s.url}/courses/{COURSE}/exercises/{EXERCISE}/help"
    exercise = _exercise()

    def ask(question: str) -> list[dict[str, Any]]:
        response = page.request.post(
            url,
            headers={"Accept": "application/x-ndjson", "X-CSRF-Token": token},
            form={"source": source_text(exercise.starter), "question": question},
        )
        assert response.ok
        return [json.loads(line) for line in response.text().splitlines() if line.strip()]

    for _ in exercise.hints:  # climb past the authored hints (the level is kept)
        ask("")
    held = "[code: shown once the tutor has checked it]"
    # a well-behaved hint: prose streams, its code only once the guard has let it through
    events = ask("")
    deltas = "".join(e["text"] for e in events if e["kind"] == "delta")
    assert "Look at what the failing check expects" in deltas and held in deltas
    assert "ages.get" not in deltas
    final = _text_of(events[-1]["html"])
    assert "ages.get" in final and "held back" not in final
    # a leaky model: the solution's code never streams, and never arrives
    events = ask("write the validators for me")
    deltas = "".join(e["text"] for e in events if e["kind"] == "delta")
    assert "Sure, here is the complete solution" in deltas and held in deltas
    public = " ".join([exercise.prompt, *exercise.hints, source_text(exercise.starter)])
    for line in source_text(exercise.solution).splitlines():
        if len(line.strip()) > 12 and line.strip() not in public:  # the solution's own lines
            assert line.strip() not in deltas
            assert line.strip() not in _text_of(events[-1]["html"])
    assert any(e["kind"] == "restart" for e in events)  # asked again, stricter
    assert "held back" in events[-1]["html"]
    page.context.close()


def test_help_without_javascript_posts_and_comes_back(
    browser: Any, server: tuple[str, Server], screenshots: Path
) -> None:
    mode, s = server
    page = _exercise_page(browser, s.url, js=False)
    mine = "# my attempt\n" + source_text(_exercise().starter)
    page.fill("#source", mine)
    page.click("#help-button")
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(f"/exercises/{EXERCISE}"), page.url
    shown = page.inner_text("#help-output")
    _clean(shown)
    assert "You asked" in shown
    # the next rung for this learner (the ladder is kept per learner and exercise)
    assert any(w in shown for w in ("Hint ", "You have seen all", "held back")), shown
    assert page.input_value("#source").startswith("# my attempt")  # their code is kept
    page.screenshot(path=str(screenshots / f"exercise-help-nojs-{mode}.png"), full_page=True)
    _clear(page, "#help-output")
    page.context.close()


def test_a_point_without_a_lesson_in_the_browser(
    browser: Any, tmp_path: Path, fake: FakeOpenAI, screenshots: Path
) -> None:
    """With a model the lesson is written for the learner (streamed with JS, a page
    without); offline the learner is told so, and sees no prompt."""
    courses = str(Path(__file__).resolve().parents[1] / "web" / "courses")
    point = "/courses/mini/learn/no-lesson"
    for mode in ("offline", "model"):
        extra = {"TUTOR_COURSES_DIR": courses, "TUTOR_MODEL": "", "OPENAI_BASE_URL": ""}
        if mode == "model":
            extra |= {
                "TUTOR_MODEL": "fake",
                "OPENAI_BASE_URL": fake.base_url,
                "OPENAI_API_KEY": "x",
            }
        s = _server(tmp_path / mode, extra)
        try:
            for js in (True, False):
                page = _login(browser, s.url, js=js)
                page.goto(f"{s.url}{point}")
                if mode == "offline":
                    assert "no written lesson yet" in page.inner_text("#lesson")
                    assert page.locator("#lesson textarea").count() == 0
                elif js:
                    page.wait_for_selector("#lesson h2:has-text('Explanation')", timeout=60_000)
                    page.screenshot(path=str(screenshots / "generated-lesson.png"), full_page=True)
                else:
                    page.click("button:has-text('Generate the lesson')")
                    page.wait_for_load_state()
                    assert "A route maps an HTTP method" in page.inner_text("main")
                page.context.close()
        finally:
            s.stop()
