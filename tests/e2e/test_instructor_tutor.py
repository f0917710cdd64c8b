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
