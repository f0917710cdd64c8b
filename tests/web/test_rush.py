"""A class at once, against a real ``tutor serve`` (real sandbox, real argon2).

* Checks: endless loops on an exercise whose endless loop takes longer than the issue's
  30 s (two checks of 20 s each) are still answered within it: a failed verdict that
  names the check it did not run, or "busy, retry" with ``Retry-After``.
* Logins: while many logins are hashing, pages that need a worker thread are answered;
  past the login line, a login is answered 503 with ``Retry-After`` and counts as no try.

Shapes are asserted, not speed: the only time bound is the 30 s the issue guarantees
(the server's deadline is 25 s). Figures come from bench/load_test.py.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from tests.web.conftest import COURSES
from tests.web.server import Browser, Server
from web import migrate
from web.db import make_engine
from web.models import LoginAttempt, User
from web.passwords import hash_password

pytestmark = pytest.mark.slow

PASSWORD = "correct horse 1"
ENDLESS = "def add(a, b):\n    while True:\n        pass\n"
RIGHT = "def add(a, b):\n    return a + b\n"
CHECK = "/api/courses/mini/exercises/add-function/check"
GUARANTEE_S = 30.0  # issue 11: every check answered within 30 s


def _env(tmp_path: Path, courses: Path = COURSES, **settings: str) -> dict[str, str]:
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "TUTOR_COURSES_DIR": str(courses),
        "DATABASE_URL": "",
        "TUTOR_MODEL": "",
    }
    return env | {f"TUTOR_{k.upper()}": v for k, v in settings.items()}


def _slow_course(tmp_path: Path) -> Path:
    """The mini course with 20 s per check: an endless loop costs 40 s unbounded."""
    courses = tmp_path / "courses"
    shutil.copytree(COURSES, courses)
    basics = courses / "mini" / "sections" / "01-basics.yaml"
    text = basics.read_text()
    marker = "    attempts_before_solution: 2\n"
    assert marker in text
    basics.write_text(text.replace(marker, marker + "    limits: {time_s: 20}\n", 1))
    return courses


def _learner(server: Server, email: str) -> Browser:
    browser = Browser(server.url)
    browser.http.timeout = httpx.Timeout(120)
    browser.signup(email)
    return browser


def test_endless_checks_are_answered_within_the_guarantee(tmp_path: Path) -> None:
    env = _env(tmp_path, _slow_course(tmp_path), grading_runners="1", attempts_per_minute="200")
    server = Server(env).start()
    try:
        learners = [_learner(server, f"l{i}@example.org") for i in range(6)]

        def check(browser: Browser) -> tuple[httpx.Response, float]:
            token = browser.token()
            start = time.monotonic()
            r = browser.http.post(CHECK, json={"source": ENDLESS}, headers={"x-csrf-token": token})
            return r, time.monotonic() - start

        with ThreadPoolExecutor(len(learners)) as pool:
            answers = list(pool.map(check, learners))
        statuses = sorted(r.status_code for r, _ in answers)
        assert set(statuses) <= {201, 503}, statuses
        assert all(seconds < GUARANTEE_S for _, seconds in answers), answers
        graded = [r.json() for r, _ in answers if r.status_code == 201]
        assert graded, statuses  # the first one had the runner from the start
        for attempt in graded:
            verdict = json.loads(attempt["verdict_json"])
            assert not attempt["passed"]
            assert verdict["checks"][0]["limit"] == "time"
            assert verdict["unchecked"] == ["test_adds_negative_numbers"], verdict
        for r, _ in answers:
            if r.status_code == 503:
                assert int(r.headers["retry-after"]) > 0
                assert "graders are busy" in r.json()["detail"]
        stored = [a for b in learners for a in b.http.get("/api/courses/mini/attempts").json()]
        assert sorted(a["id"] for a in stored) == sorted(a["id"] for a in graded)
        right = learners[0].http.post(
            CHECK, json={"source": RIGHT}, headers={"x-csrf-token": learners[0].token()}
        )
        assert right.status_code == 201 and right.json()["passed"], right.text
        for browser in learners:
            browser.close()
    finally:
        server.stop()


def test_help_on_an_endless_loop_is_answered_within_the_guarantee(tmp_path: Path) -> None:
    """Help grades the learner's code first: by the same deadline as a check."""
    server = Server(_env(tmp_path, _slow_course(tmp_path), grading_runners="1")).start()
    try:
        learner = _learner(server, "stuck@example.org")
        form = {"csrf_token": learner.token(), "source": ENDLESS, "question": "Why so slow?"}
        start = time.monotonic()
        r = learner.http.post("/courses/mini/exercises/add-function/help", data=form)
        assert time.monotonic() - start < GUARANTEE_S  # unbounded: two checks of 20 s
        assert r.status_code == 303, r.text
        page = learner.http.get("/courses/mini/exercises/add-function").text
        assert "Help: Why so slow?" in page  # the exchange is kept with the exercise
        assert "while True" in page  # the code asked about is the learner's draft
        learner.close()
    finally:
        server.stop()


def _database(env: dict[str, str]) -> str:
    return f"sqlite:///{env['TUTOR_DATA_DIR']}/tutor.sqlite3"


def _with_accounts(env: dict[str, str], count: int) -> list[str]:
    """``count`` learner accounts (one hash for all), written before the server starts:
    another process writing its SQLite file while it runs is not what is tested here."""
    emails = [f"ramp{i:03d}@example.org" for i in range(count)]
    Path(env["TUTOR_DATA_DIR"]).mkdir(parents=True)
    engine = make_engine(_database(env))
    migrate.upgrade(engine)
    password_hash = hash_password(PASSWORD)
    with Session(engine) as db:
        for email in emails:
            db.add(User(email=email, role="learner", password_hash=password_hash))
        db.commit()
    engine.dispose()
    return emails


def _login(url: str, email: str, ready: threading.Barrier) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=120) as client:
        token = client.get("/api/csrf").json()["token"]
        ready.wait()
        form = {"email": email, "password": PASSWORD, "csrf_token": token}
        return client.post("/login", data=form)


def test_pages_are_answered_while_many_logins_are_in_flight(tmp_path: Path) -> None:
    """32 logins at once (each an argon2 check; one that waits too long for its turn is
    told "busy, retry"); meanwhile a logged-in learner asks for pages served on worker
    threads (course page, progress) and ``/healthz``: they are answered while most
    logins are still waiting for their hash."""
    env = _env(tmp_path, login_queue="200")
    emails = _with_accounts(env, 32)
    server = Server(env).start()
    try:
        _pages_during_logins(server, emails)
    finally:
        server.stop()


def _pages_during_logins(server: Server, emails: list[str]) -> None:
    reader = _learner(server, "reader@example.org")
    ready = threading.Barrier(len(emails) + 1)
    done: list[int] = []
    pages: list[tuple[int, int]] = []  # (status, logins answered by then)
    with ThreadPoolExecutor(len(emails)) as pool:
        logins = [pool.submit(_login, server.url, e, ready) for e in emails]
        for future in logins:
            future.add_done_callback(lambda _: done.append(1))
        ready.wait()
        while len(done) < len(emails):
            for path in ("/courses/mini", "/progress", "/healthz"):
                r = reader.http.get(path)
                pages.append((r.status_code, len(done)))
        answers = [f.result() for f in logins]
    statuses = [r.status_code for r in answers]  # logged in, or "busy, retry" after a wait
    assert set(statuses) <= {303, 503} and 303 in statuses, statuses
    assert all(int(r.headers["retry-after"]) > 0 for r in answers if r.status_code == 503)
    assert all(status == 200 for status, _ in pages), pages
    early = [n for _, n in pages if n < len(emails) // 2]
    assert len(early) >= 3, pages  # answered while half the logins or more were pending
    reader.close()


def test_past_the_login_line_the_answer_is_busy_and_counts_no_try(tmp_path: Path) -> None:
    """With no waiting line (two password threads only), 16 logins at once: the ones
    past the line get 503, ``Retry-After`` and the form, and are not counted as tries;
    each of them logs in afterwards."""
    env = _env(tmp_path, login_queue="0")
    emails = _with_accounts(env, 16)
    server = Server(env).start()
    try:
        ready = threading.Barrier(len(emails))
        with ThreadPoolExecutor(len(emails)) as pool:
            answers = list(pool.map(lambda e: _login(server.url, e, ready), emails))
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {303, 503} and 503 in statuses and 303 in statuses, statuses
        busy = [e for e, r in zip(emails, answers, strict=True) if r.status_code == 503]
        for r in answers:
            if r.status_code == 503:
                assert int(r.headers["retry-after"]) > 0
                assert "Many people are logging in right now" in r.text
                assert 'name="password"' in r.text  # the form, to try again
        for email in busy:
            browser = Browser(server.url)
            browser.login(email, PASSWORD)
            browser.close()
    finally:
        server.stop()
    engine = make_engine(_database(env))
    with Session(engine) as db:  # one try per login that was not refused busy
        tries = db.exec(select(LoginAttempt.email, LoginAttempt.success)).all()
    engine.dispose()
    assert sorted(tries) == sorted((e, True) for e in emails)
