"""An instructor reads a learner's tutor conversation and flags a reply, in Chromium, with
JavaScript on and off, against a real server and the fake model server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tutor.fake_openai import FakeOpenAI
from tests.web.server import Server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PASSWORD = "correct horse 1"
LEARNER, TEACHER = "asker@example.org", "teacher@example.org"
CHATTY = "chatty@example.org"  # a learner with more tutor calls than a page
CHATTY_CALLS = 120  # two full pages of 50 and a third of 20
QUESTION = "Why choose FastAPI over Flask?"


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
    with FakeOpenAI() as fake:
        env = {
            "TUTOR_DATA_DIR": str(tmp_path_factory.mktemp("flags") / "data"),
            "DATABASE_URL": "",
            "TUTOR_COURSES_DIR": "",
            "TUTOR_MODEL": "fake",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "x",
        }
        _create(env, LEARNER)
        _create(env, TEACHER, "--instructor")
        _create(env, CHATTY)
        _seed_calls(Path(env["TUTOR_DATA_DIR"]), CHATTY, CHATTY_CALLS)
        s = Server(env).start()
        yield s
        s.stop()


def _login(browser: Any, url: str, email: str, *, js: bool) -> Any:
    page = browser.new_context(java_script_enabled=js).new_page()
    page.goto(f"{url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_instructor_reads_and_flags_a_reply(
    browser: Any, server: Server, screenshots: Path, js: bool
) -> None:
    learner = _login(browser, server.url, LEARNER, js=False)
    learner.goto(f"{server.url}/courses/python-backend/learn/modern-async-framework")
    learner.fill("#question", f"{QUESTION} ({js})")
    learner.click("button[value=ask]")
    learner.wait_for_load_state()
    learner.context.close()

    page = _login(browser, server.url, TEACHER, js=js)
    page.goto(f"{server.url}/instructor/courses/python-backend")
    page.click(f"text={LEARNER}")
    page.wait_for_load_state()
    assert "Conversations with the tutor" in page.inner_text("main")
    exchange = page.locator("article.exchange", has_text=f"{QUESTION} ({js})")
    assert "guard: not applicable" in exchange.inner_text()
    exchange.locator("input[name=note]").fill(f"Too long an answer ({js})")
    exchange.locator("button", has_text="Flag").click()
    page.wait_for_load_state()
    flagged = page.locator("article.exchange.flagged", has_text=f"{QUESTION} ({js})")
    assert f"Flagged: Too long an answer ({js})" in flagged.inner_text()
    page.screenshot(path=str(screenshots / f"instructor-learner-tutor-{js}.png"), full_page=True)

    page.click("text=Flagged replies")
    page.wait_for_load_state()
    assert f"Too long an answer ({js})" in page.inner_text("main")
    page.screenshot(path=str(screenshots / f"instructor-flags-{js}.png"), full_page=True)
    page.locator("article.exchange", has_text=f"({js})").locator(
        "button", has_text="Remove flag"
    ).click()
    page.wait_for_load_state()
    assert f"Flagged: Too long an answer ({js})" not in page.inner_text("main")
    page.goto(f"{server.url}/instructor/flags")
    assert f"Too long an answer ({js})" not in page.inner_text("main")
    page.context.close()


def _engine(data_dir: Path) -> Any:
    from sqlmodel import create_engine

    return create_engine(f"sqlite:///{data_dir / 'tutor.sqlite3'}")


def _user_id(data_dir: Path, email: str) -> int:
    from sqlmodel import Session, select

    from web.models import User

    engine = _engine(data_dir)
    with Session(engine) as db:
        uid = db.exec(select(User.id).where(User.email == email)).one()
    engine.dispose()
    assert uid is not None
    return uid


def _seed_calls(data_dir: Path, email: str, n: int) -> None:
    """``n`` recorded tutor calls of the learner, written into the database before the
    server starts."""
    from sqlmodel import Session

    from web.models import TutorCall

    uid = _user_id(data_dir, email)
    engine = _engine(data_dir)
    with Session(engine) as db:
        db.add_all(
            TutorCall(
                user_id=uid,
                course_id="python-backend",
                target_kind="point",
                target_id="modern-async-framework",
                model="fake",
                guard="passed",
                prompt_hash="h",
                question=f"Seeded question {i:03d}?",
                reply=f"Seeded reply {i:03d}.",
            )
            for i in range(n)
        )
        db.commit()
    engine.dispose()


def _asked(page: Any) -> set[str]:
    return set(page.locator("article.exchange p", has_text="Seeded question").all_inner_texts())


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_instructor_pages_through_a_learners_conversations(
    browser: Any, server: Server, screenshots: Path, js: bool
) -> None:
    page = _login(browser, server.url, TEACHER, js=js)
    data_dir = Path(server.env["TUTOR_DATA_DIR"])
    page.goto(f"{server.url}/instructor/learners/{_user_id(data_dir, CHATTY)}")
    seen: list[set[str]] = []
    assert "Seeded question 119?" in page.inner_text("main")  # the newest page first
    assert not page.locator("#calls-newer").count()
    while True:
        asked = _asked(page)
        assert 0 < len(asked) <= 50
        seen.append(asked)
        if not page.locator("#calls-older").count():
            break
        page.click("#calls-older")
        page.wait_for_load_state()
        assert "calls_before=" in page.url
    assert [len(s) for s in seen] == [50, 50, 20]
    assert len(set().union(*seen)) == CHATTY_CALLS  # disjoint and complete
    page.screenshot(path=str(screenshots / f"instructor-tutor-pages-{js}.png"), full_page=True)
    page.click("#calls-newer")
    page.wait_for_load_state()
    assert "calls_after=" in page.url and _asked(page) == seen[1]
    page.click("#calls-newer")
    page.wait_for_load_state()
    assert _asked(page) == seen[0] and not page.locator("#calls-newer").count()
    page.context.close()
