"""What an outsider could read or break: file modes, /metrics, bad ids, the login race."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.web.conftest import COURSES, PG_URL, csrf, signup, signup_instructor
from tests.web.server import Browser, Server
from web.accounts import MAX_FAILURES_PER_CLIENT, MAX_SIGNUPS_PER_IP
from web.app import create_app
from web.context import context_of
from web.settings import WebSettings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_directory_and_database_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = create_app(WebSettings(data_dir=data, database_url=None))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        signup(c, "a@example.org")  # writes: the WAL files exist while connections are open
        assert _mode(data) == 0o700
        for name in ("tutor.sqlite3", "tutor.sqlite3-wal", "tutor.sqlite3-shm", "session_secret"):
            assert _mode(data / name) == 0o600, name
    context_of(app).db_engine.dispose()


def test_an_existing_open_data_directory_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    create_app(WebSettings(data_dir=data, database_url=None)).state.engine.dispose()
    data.chmod(0o755)
    (data / "tutor.sqlite3").chmod(0o644)
    (data / "session_secret").chmod(0o644)
    create_app(WebSettings(data_dir=data, database_url=None)).state.engine.dispose()
    assert _mode(data) == 0o700
    assert _mode(data / "tutor.sqlite3") == 0o600
    assert _mode(data / "session_secret") == 0o600


def test_metrics_are_for_loopback_clients_by_default(client: TestClient) -> None:
    remote = TestClient(client.app, base_url="http://127.0.0.1", client=("203.0.113.5", 4000))
    assert remote.get("/metrics").status_code == 403
    local = TestClient(client.app, base_url="http://127.0.0.1", client=("::1", 4000))
    assert "tutor_http_requests_total" in local.get("/metrics").text


def test_metrics_token_is_required_when_set(settings: WebSettings) -> None:
    app = create_app(settings.model_copy(update={"metrics_token": SecretStr("s3cret-token")}))
    local = TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 4000))
    r = local.get("/metrics")  # with a token, even loopback needs it
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert local.get("/metrics", headers={"authorization": "Bearer wrong"}).status_code == 401
    r = local.get("/metrics", headers={"authorization": "Bearer s3cret-token"})
    assert "tutor_http_requests_total" in r.text
    remote = TestClient(app, base_url="http://127.0.0.1", client=("203.0.113.5", 4000))
    assert remote.get("/metrics", headers={"authorization": "Bearer s3cret-token"}).is_success
    context_of(app).db_engine.dispose()


@pytest.mark.parametrize(
    "learner_id", ["99999999999999999999999", "2147483648", "0", "-1", "abc", "1e3", "%C2%B9"]
)
def test_bad_or_oversized_learner_ids_are_404(client: TestClient, learner_id: str) -> None:
    signup_instructor(client, "teacher@example.org")
    r = client.get(f"/instructor/learners/{learner_id}")
    assert r.status_code == 404
    assert "No such learner" in r.text


def test_editor_save_keeps_the_file_mode(client: TestClient, settings: WebSettings) -> None:
    signup_instructor(client, "teacher@example.org")
    assert settings.courses_dir is not None
    name = "sections/01-basics.yaml"
    path = settings.courses_dir / "mini" / name
    path.chmod(0o640)
    r = client.post(
        "/instructor/courses/mini/edit",
        data={
            "csrf_token": csrf(client),
            "file": name,
            "content": path.read_text().replace("title: Basics", "title: Basics Again"),
        },
    )
    assert r.status_code == 200
    assert "Basics Again" in path.read_text()
    assert _mode(path) == 0o640


def _upgrade(env: dict[str, str]) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "db", "upgrade"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr


def _wrong_password(url: str, token: str, cookies: httpx.Cookies) -> int:
    with httpx.Client(base_url=url, cookies=cookies, timeout=60) as c:
        r = c.post(
            "/login",
            data={"email": "owner@example.org", "password": "wrong guess", "csrf_token": token},
        )
        return r.status_code


def _bad_signup(url: str, token: str, cookies: httpx.Cookies, i: int) -> int:
    with httpx.Client(base_url=url, cookies=cookies, timeout=60) as c:
        r = c.post("/signup", data={"email": f"bad{i}", "password": "x", "csrf_token": token})
        return r.status_code


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_twenty_concurrent_wrong_passwords_check_only_the_limit(
    tmp_path: Path, db: str, request: pytest.FixtureRequest
) -> None:
    """20 wrong passwords at once from one client: exactly the limit's worth are checked;
    50 sign-ups at once from one address: exactly the limit's worth are tried."""
    env = {"TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_COURSES_DIR": str(COURSES)}
    env["DATABASE_URL"] = ""
    if db == "postgres":
        if not PG_URL:
            pytest.skip("needs TUTOR_TEST_DATABASE_URL (PostgreSQL)")
        env["DATABASE_URL"] = request.getfixturevalue("pg_schema_url")
        _upgrade(env)
    server = Server(env, workers=2).start()
    try:
        owner = Browser(server.url)
        owner.signup("owner@example.org")
        owner.close()
        attacker = httpx.Client(base_url=server.url)
        token = str(attacker.get("/api/csrf").json()["token"])
        with ThreadPoolExecutor(20) as pool:
            codes = list(
                pool.map(lambda _: _wrong_password(server.url, token, attacker.cookies), range(20))
            )
        assert codes.count(400) == MAX_FAILURES_PER_CLIENT, codes  # checked: was 12 of 20
        assert codes.count(429) == 20 - MAX_FAILURES_PER_CLIENT, codes
        with ThreadPoolExecutor(20) as pool:  # sign-ups from one address: the same holds
            codes = list(
                pool.map(lambda i: _bad_signup(server.url, token, attacker.cookies, i), range(50))
            )
        assert codes.count(400) == MAX_SIGNUPS_PER_IP - 1, codes  # the owner's counted too
        assert codes.count(429) == 50 - (MAX_SIGNUPS_PER_IP - 1), codes
        attacker.close()
    finally:
        server.stop()
