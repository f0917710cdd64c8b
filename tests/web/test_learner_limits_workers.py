"""Per-learner limits hold across worker processes: a real ``tutor serve --workers 2`` on
SQLite and on PostgreSQL, one learner's requests sent at once over many connections
(so both workers take some).

No timing assertions: the burst is sent together and the checks it starts hold their
place for many seconds (each call sleeps past the exercise's time limit), so every
request of the burst is answered while the first checks still run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from tests.web.conftest import COURSES, DB_PARAMS
from tests.web.server import Browser, Server
from web.db import make_engine
from web.models import LimitToken

pytestmark = pytest.mark.slow

CODE = "/courses/mini/exercises/add-function"
CHECK = f"/api{CODE}/check"
QUIZ = "/api/courses/mini/exercises/sum-quiz/quiz"
SLEEPY = "def add(a, b):\n    import time\n    time.sleep(120)\n"
TIME_LIMIT_S = 10  # per check of the exercise here: a sleepy check holds its place ~20 s
PATIENT = 180.0
BURST = 8


@pytest.fixture(params=DB_PARAMS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """ "" (SQLite in the data directory) or a fresh PostgreSQL schema, upgraded."""
    if request.param == "sqlite":
        return ""
    url = str(request.getfixturevalue("pg_schema_url"))
    env = {**os.environ, "DATABASE_URL": url, "TUTOR_DATA_DIR": str(tmp_path / "data")}
    up = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert up.returncode == 0, up.stderr
    return url


def _courses(tmp_path: Path) -> Path:
    """The web tests' courses, with a longer time limit on the code exercise."""
    courses = tmp_path / "courses"
    shutil.copytree(COURSES, courses)
    basics = courses / "mini" / "sections" / "01-basics.yaml"
    text = basics.read_text()
    marker = "    attempts_before_solution: 2\n"
    assert text.count(marker) == 1
    basics.write_text(text.replace(marker, f"{marker}    limits: {{time_s: {TIME_LIMIT_S}}}\n"))
    return courses


def _env(tmp_path: Path, database_url: str, **settings: str) -> dict[str, str]:
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "TUTOR_COURSES_DIR": str(_courses(tmp_path)),
        "DATABASE_URL": database_url,
        "TUTOR_MODEL": "",
    }
    return env | {f"TUTOR_{k.upper()}": v for k, v in settings.items()}


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for s in started:
        s.stop()


def _learner(server: Server, email: str) -> Browser:
    browser = Browser(server.url)
    browser.http.timeout = httpx.Timeout(PATIENT)
    browser.signup(email)
    return browser


def _at_once(count: int, send: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """``count`` requests sent together, each on a connection of its own."""
    start = threading.Barrier(count)

    def one(_: int) -> httpx.Response:
        start.wait()
        return send()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def _statuses(answers: list[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in answers)


def _refused_with_retry_after(answers: list[httpx.Response], says: str) -> None:
    refused = [r for r in answers if r.status_code == 429]
    assert refused
    for r in refused:
        assert int(r.headers["retry-after"]) > 0
        assert says in r.text, r.text[:300]


def _check_tokens(database_url: str, data_dir: Path) -> list[LimitToken]:
    engine = make_engine(database_url or f"sqlite:///{data_dir / 'tutor.sqlite3'}")
    with Session(engine) as db:
        tokens = list(db.exec(select(LimitToken).where(LimitToken.kind == "check")).all())
    engine.dispose()
    return tokens


def test_a_learners_checks_are_capped_across_workers_and_freed_when_a_worker_dies(
    tmp_path: Path, database_url: str, servers: list[Server]
) -> None:
    env = _env(tmp_path, database_url, checks_per_learner="2", attempts_per_minute="100")
    server = Server(env, workers=2).start()
    servers.append(server)
    learner = _learner(server, "eager@example.org")
    token = learner.token()

    def check() -> httpx.Response:
        return learner.http.post(CHECK, json={"source": SLEEPY}, headers={"x-csrf-token": token})

    answers = _at_once(BURST, check)
    # two checks in flight for the learner, whichever worker took them: the rest 429
    assert _statuses(answers) == [201, 201] + [429] * (BURST - 2)
    _refused_with_retry_after(answers, "You already have 2 checks running")
    assert len(learner.http.get("/api/courses/mini/attempts").json()) == 2

    # a worker dies mid-check: its tokens stay (the learner is still at the cap) until
    # their lease is over, then the learner can check again. (The database is read from
    # here only while no server runs: a SQLite reader from another process, once closed,
    # was seen to hide the server's later commits from other readers until it stopped.)
    right = "def add(a, b):\n    return a + b\n"

    def quick() -> httpx.Response:
        return learner.http.post(CHECK, json={"source": right}, headers={"x-csrf-token": token})

    with ThreadPoolExecutor(max_workers=2) as pool:
        hanging = [pool.submit(check) for _ in range(2)]
        deadline = time.monotonic() + PATIENT
        # a quick check refused while neither sleepy one has returned: both are in flight
        while quick().status_code != 429 or any(f.done() for f in hanging):
            assert time.monotonic() < deadline, "the two checks never started"
            hanging = [pool.submit(check) if f.done() else f for f in hanging]
        server.kill()
        for f in hanging:
            with pytest.raises(httpx.HTTPError):
                f.result()
    assert len(_check_tokens(database_url, tmp_path / "data")) == 2
    again = Server(env, workers=2, port=server.port).start()
    servers.append(again)
    deadline = time.monotonic() + PATIENT
    while True:
        r = quick()
        if r.status_code == 201 or time.monotonic() > deadline:
            break
        assert r.status_code == 429, r.text
        time.sleep(2)
    assert r.status_code == 201, "the dead worker's checks never stopped counting"
    assert r.json()["passed"]
    learner.close()
    again.stop()
    assert _check_tokens(database_url, tmp_path / "data") == []  # expired, then pruned


def test_rates_are_counted_across_workers(
    tmp_path: Path, database_url: str, servers: list[Server]
) -> None:
    env = _env(
        tmp_path,
        database_url,
        runs_per_minute="3",
        drafts_per_minute="3",
        attempts_per_minute="3",
        checks_per_learner="20",
    )
    server = Server(env, workers=2).start()
    servers.append(server)
    learner = _learner(server, "fast@example.org")
    token = learner.token()
    form = {"csrf_token": token, "source": "print(1)"}

    drafts = _at_once(
        10,
        lambda: learner.http.post(f"{CODE}/draft", data=form, headers={"x-tutor-draft": "1"}),
    )
    assert _statuses(drafts) == [204] * 3 + [429] * 7
    _refused_with_retry_after(drafts, "at most 3 saves a minute")

    answers = _at_once(
        10,
        lambda: learner.http.post(
            QUIZ, json={"answers": {"two-plus-two": 0}}, headers={"x-csrf-token": token}
        ),
    )
    assert _statuses(answers) == [201] * 3 + [429] * 7
    _refused_with_retry_after(answers, "at most 3 attempts a minute")
    assert len(learner.http.get("/api/courses/mini/attempts").json()) == 3

    runs = _at_once(
        10, lambda: learner.http.post(f"{CODE}/run", data=form, headers={"hx-request": "true"})
    )
    assert _statuses(runs) == [200] * 3 + [429] * 7
    _refused_with_retry_after(runs, "at most 3 runs a minute")
    assert all("Output" in r.text for r in runs if r.status_code == 200)

    asks = _at_once(10, lambda: learner.http.post(f"{CODE}/help", data=form | {"question": "?"}))
    assert _statuses(asks) == [303] * 3 + [429] * 7  # each let through was answered
    _refused_with_retry_after(asks, "at most 3 attempts a minute")
    learner.close()
