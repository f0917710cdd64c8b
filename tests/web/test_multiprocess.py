"""Real server processes: two servers on one PostgreSQL database; SIGKILL durability."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import COURSES, PG_URL
from tests.web.server import Browser, Server

pytestmark = pytest.mark.slow


def _env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {"TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_COURSES_DIR": str(COURSES)}
    env["DATABASE_URL"] = database_url or ""
    env.pop("TUTOR_MODEL", None)
    return env


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for s in started:
        s.stop()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs TUTOR_TEST_DATABASE_URL (PostgreSQL)")
def test_two_servers_on_postgres_share_a_learner(
    tmp_path: Path, pg_schema_url: str, servers: list[Server]
) -> None:
    import subprocess
    import sys

    env = {**os.environ, **_env(tmp_path, pg_schema_url)}
    up = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert up.returncode == 0, up.stderr
    a = Server(_env(tmp_path, pg_schema_url)).start()
    servers.append(a)
    b = Server(_env(tmp_path, pg_schema_url), workers=2).start()
    servers.append(b)
    via_a, via_b = Browser(a.url), Browser(b.url)
    via_a.signup("learner@example.org")
    via_b.login("learner@example.org")
    r = via_a.http.post(
        "/api/courses/mini/progress",
        json={"kind": "completed", "point_id": "plus"},
        headers={"x-csrf-token": via_a.token()},
    )
    assert r.status_code == 201
    seen = via_b.http.get("/api/courses/mini/progress").json()
    assert seen["sections"][0]["done"] == 1
    r = via_b.http.post(
        "/api/courses/mini/exercises/sum-quiz/quiz",
        json={"answers": {"two-plus-two": 0}},
        headers={"x-csrf-token": via_b.token()},
    )
    assert r.status_code == 201
    assert [x["exercise_id"] for x in via_a.http.get("/api/courses/mini/attempts").json()] == [
        "sum-quiz"
    ]
    assert via_a.http.get("/courses/mini/learn/no-lesson").status_code == 200
    # resume follows progress, not the page last opened: past the passed quiz, on both hosts
    for via in (via_a, via_b):
        assert "Resume where I left off: Reflect on sums" in via.http.get("/courses/mini").text
    via_a.close()
    via_b.close()


def _writer(url: str, email: str, acked: list[int], stop: threading.Event) -> None:
    browser = Browser(url)
    try:
        browser.login(email)
        token = browser.token()
        while not stop.is_set():
            r = browser.http.post(
                "/api/courses/mini/exercises/sum-quiz/quiz",
                json={"answers": {"two-plus-two": len(acked) % 2}},
                headers={"x-csrf-token": token},
            )
            if r.status_code == 201:
                acked.append(int(r.json()["id"]))
    except httpx.HTTPError:
        pass  # the server was killed mid-request: that write was never acknowledged
    finally:
        browser.close()


def test_acknowledged_writes_survive_sigkill(tmp_path: Path, servers: list[Server]) -> None:
    server = Server(_env(tmp_path)).start()
    servers.append(server)
    emails = [f"l{i}@example.org" for i in range(3)]
    for email in emails:
        b = Browser(server.url)
        b.signup(email)
        b.close()
    acked: dict[str, list[int]] = {e: [] for e in emails}
    stop = threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(server.url, e, acked[e], stop)) for e in emails
    ]
    for t in threads:
        t.start()
    # every writer acknowledged at least once (a login can lag on a loaded machine)
    deadline = time.monotonic() + 60
    while sum(len(v) for v in acked.values()) < 60 or not all(acked.values()):
        if time.monotonic() > deadline:
            break  # the assertions below say which writer made no write
        threading.Event().wait(0.05)
    server.kill()  # SIGKILL while the writers are still sending
    stop.set()
    for t in threads:
        t.join()
    again = Server(_env(tmp_path), port=server.port).start()
    servers.append(again)
    for email in emails:
        b = Browser(again.url)
        b.login(email)
        stored = {a["id"] for a in b.http.get("/api/courses/mini/attempts").json()}
        missing = set(acked[email]) - stored
        assert not missing, f"{email}: acknowledged attempts lost: {sorted(missing)}"
        assert acked[email], "the writer made no acknowledged write"
        b.close()
