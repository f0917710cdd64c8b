"""Attacks on the grading path, against a real ``tutor serve`` on loopback.

Each test is what a hostile (or merely eager) learner would do; the server must keep
answering everyone else, refuse clearly with ``Retry-After``, and store nothing
beyond what the editor allows. No timing assertions: generous timeouts only (timing
targets live in bench/load_test.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import COURSES
from tests.web.server import Browser, Server

pytestmark = pytest.mark.slow

CHECK = "/api/courses/mini/exercises/add-function/check"
ENDLESS = "def add(a, b):\n    while True:\n        pass\n"
PATIENT = 180.0  # seconds: the machine may be busy; answering at all is what counts


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "TUTOR_COURSES_DIR": str(COURSES),
        "DATABASE_URL": "",
        "TUTOR_MODEL": "",
    }
    return env | {f"TUTOR_{k.upper()}": v for k, v in settings.items()}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(_env(tmp_path_factory.mktemp("attack"), attempts_per_minute="200")).start()
    yield running
    running.stop()


def _learner(server: Server, email: str) -> Browser:
    browser = Browser(server.url)
    browser.http.timeout = httpx.Timeout(PATIENT)
    browser.signup(email)
    return browser


def test_one_learner_flooding_checks_does_not_starve_another(server: Server) -> None:
    attacker = _learner(server, "flood@example.org")
    victim = _learner(server, "victim@example.org")
    token = attacker.token()

    def check(_: int) -> httpx.Response:
        return attacker.http.post(CHECK, json={"source": ENDLESS}, headers={"x-csrf-token": token})

    with ThreadPoolExecutor(max_workers=56) as pool:
        flood = [pool.submit(check, i) for i in range(56)]
        # while the flood is being graded, the other learner's pages still answer
        me = victim.http.get("/api/me")
        health = httpx.get(f"{server.url}/healthz", timeout=PATIENT)
        lesson = victim.http.get("/courses/mini/learn/plus")
        answers = [f.result() for f in flood]
    assert me.status_code == 200 and me.json()["email"] == "victim@example.org"
    assert health.status_code == 200
    assert lesson.status_code == 200
    statuses = sorted(r.status_code for r in answers)
    assert set(statuses) <= {201, 429}, statuses
    refused = [r for r in answers if r.status_code == 429]
    # at most 2 run at a time and an endless check takes seconds: most are turned away
    assert len(refused) >= 28, statuses
    assert all(int(r.headers["retry-after"]) > 0 for r in refused)
    assert "checks running" in refused[0].json()["detail"]
    graded = [r.json() for r in answers if r.status_code == 201]
    stored = attacker.http.get("/api/courses/mini/attempts").json()
    assert sorted(a["id"] for a in stored) == sorted(a["id"] for a in graded)
    assert all(not a["passed"] for a in graded)
    attacker.close()
    victim.close()


def test_oversized_quiz_answers_are_refused_or_trimmed(server: Server) -> None:
    learner = _learner(server, "quiz@example.org")
    headers = {"x-csrf-token": learner.token()}
    quiz = "/api/courses/mini/exercises/sum-quiz/quiz"
    many = {f"q{i}": "x" * 1000 for i in range(101)}
    assert learner.http.post(quiz, json={"answers": many}, headers=headers).status_code == 422
    long_text = {"two-plus-two": "x" * 1001}
    assert learner.http.post(quiz, json={"answers": long_text}, headers=headers).status_code == 422
    junk = {f"q{i}": "x" * 1000 for i in range(99)} | {"two-plus-two": 1}
    r = learner.http.post(quiz, json={"answers": junk}, headers=headers)
    assert r.status_code == 201
    stored = r.json()["submission"]
    assert json.loads(stored) == {"two-plus-two": 1}  # only the quiz's own questions
    learner.close()


def _huge_notebook(cells: int) -> bytes:
    cell = {"cell_type": "markdown", "metadata": {}, "source": ""}
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell] * cells}
    return json.dumps(notebook, separators=(",", ":")).encode()


def test_a_75000_cell_notebook_is_refused_without_stalling(server: Server) -> None:
    learner = _learner(server, "notebook@example.org")
    raw = _huge_notebook(75_000)
    url = "/courses/mini/sections/basics/notebook"

    def upload() -> httpx.Response:
        return learner.http.post(
            url,
            files={"notebook": ("big.ipynb", raw, "application/x-ipynb+json")},
            headers={"x-csrf-token": learner.token()},
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        uploads = [pool.submit(upload) for _ in range(3)]
        health = httpx.get(f"{server.url}/healthz", timeout=PATIENT)
        results = [u.result() for u in uploads]
    assert health.status_code == 200
    for r in results:
        assert r.status_code == 400, r.text[:300]
        assert "more than 2,000 cells" in r.text
    learner.close()


def test_full_grading_queue_answers_busy_with_retry_after(tmp_path: Path) -> None:
    busy = Server(
        _env(tmp_path, grading_runners="1", grading_queue="0", checks_per_learner="5")
    ).start()
    try:
        learner = _learner(busy, "busy@example.org")
        token = learner.token()

        def check(_: int) -> httpx.Response:
            return learner.http.post(
                CHECK, json={"source": ENDLESS}, headers={"x-csrf-token": token}
            )

        with ThreadPoolExecutor(max_workers=3) as pool:
            answers = list(pool.map(check, range(3)))
        statuses = sorted(r.status_code for r in answers)
        assert 503 in statuses and set(statuses) <= {201, 503}, statuses
        for r in answers:
            if r.status_code == 503:
                assert int(r.headers["retry-after"]) > 0
                assert "graders are busy" in r.json()["detail"]
        learner.close()
    finally:
        busy.stop()


def test_a_check_waits_a_bounded_time_for_a_runner(tmp_path: Path) -> None:
    """A long queue behind one busy runner: a check still waiting after
    TUTOR_GRADING_WAIT_S gets 503 + Retry-After (not graded, not stored)."""
    busy = Server(
        _env(
            tmp_path,
            grading_runners="1",
            grading_queue="10",
            grading_wait_s="1",
            checks_per_learner="10",
            attempts_per_minute="100",
        )
    ).start()
    try:
        first = _learner(busy, "first@example.org")
        later = _learner(busy, "later@example.org")

        def check(browser: Browser, source: str) -> httpx.Response:
            return browser.http.post(
                CHECK, json={"source": source}, headers={"x-csrf-token": browser.token()}
            )

        with ThreadPoolExecutor(max_workers=4) as pool:
            running = [pool.submit(check, first, ENDLESS) for _ in range(2)]
            time.sleep(2)  # order only: the endless checks (4 s each) hold the runner first
            waiting = check(later, "def add(a, b):\n    return a + b\n")
            done = [r.result() for r in running]
        assert waiting.status_code == 503, waiting.text
        assert int(waiting.headers["retry-after"]) > 0
        assert "graders are busy" in waiting.json()["detail"]
        assert later.http.get("/api/courses/mini/attempts").json() == []
        # one endless check ran; the other waited behind it, like the later learner
        assert sorted(r.status_code for r in done) == [201, 503]
        first.close()
        later.close()
    finally:
        busy.stop()
