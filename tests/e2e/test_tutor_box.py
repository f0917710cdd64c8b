"""The tutor box on a lesson page, clicked in Chromium as a learner would: Ask and every
shortcut, with JavaScript on (the reply streams into the page) and off (a reply page),
with no model and with a model (the fake OpenAI-compatible server)."""

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
COURSE = "python-backend"
POINT = "modern-async-framework"
EMAIL, PASSWORD = "asker@example.org", "correct horse 1"
SHORTCUTS = ["Shorter", "Another example", "Go deeper", "Quiz me"]


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
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module", params=["offline", "model"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI
) -> Iterator[tuple[str, Server]]:
    extra = {"TUTOR_MODEL": "", "OPENAI_BASE_URL": ""}
    if request.param == "model":
        extra = {"TUTOR_MODEL": "fake", "OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "x"}
    s = _server(tmp_path_factory.mktemp(f"tutor-{request.param}") / "data", extra)
    yield request.param, s
    s.stop()


def _lesson(browser: Any, url: str, *, js: bool) -> Any:
    page = browser.new_context(java_script_enabled=js).new_page()
    page.goto(f"{url}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{url}/courses/{COURSE}/learn/{POINT}")
    return page


def _reply_text(page: Any, before: int) -> str:
    """Wait for the tutor to finish the reply that follows ``before`` characters of output."""
    page.wait_for_function(
        "(n) => { const o = document.getElementById('tutor-output');"
        " return o.innerText.length > n && !o.innerText.includes('The tutor is writing'); }",
        arg=before,
        timeout=60_000,
    )
    text: str = page.inner_text("#tutor-output")
    return text[before:]


def test_ask_and_every_shortcut_with_javascript(
    browser: Any, server: tuple[str, Server], screenshots: Path
) -> None:
    mode, s = server
    page = _lesson(browser, s.url, js=True)
    page.fill("#question", "Why choose FastAPI over Flask?")
    page.click("button[value=ask]")
    replies = [_reply_text(page, 0)]
    for label in SHORTCUTS:
        before = len(page.inner_text("#tutor-output"))
        page.click(f".tutor-box button:has-text('{label}')")
        replies.append(_reply_text(page, before))
    for reply in replies:
        assert "could not answer" not in reply and "connection to the tutor failed" not in reply
        assert reply.strip()
    if mode == "model":
        assert all("route" in r.lower() for r in replies)  # the fake model's reply, streamed
    page.screenshot(path=str(screenshots / f"tutor-box-{mode}.png"), full_page=True)
    page.context.close()


def test_ask_and_every_shortcut_without_javascript(
    browser: Any, server: tuple[str, Server], screenshots: Path
) -> None:
    mode, s = server
    for label in ["Ask", *SHORTCUTS]:
        page = _lesson(browser, s.url, js=False)
        if label == "Ask":
            page.fill("#question", "Why choose FastAPI over Flask?")
        page.click(f".tutor-box button:has-text('{label}')")
        page.wait_for_load_state()
        assert page.url.endswith("/tutor"), page.url
        body = page.inner_text("main")
        assert "could not answer" not in body and body.strip()
        if mode == "model":
            assert "route" in body.lower()
        if label == "Ask":
            page.screenshot(path=str(screenshots / f"tutor-reply-nojs-{mode}.png"), full_page=True)
        page.context.close()
