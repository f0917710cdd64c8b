"""`tutor db upgrade`, `tutor user create`, the start-up checks and the session secret."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.web.conftest import PG_URL
from web.app import create_app
from web.context import context_of
from web.db import make_engine
from web.migrate import head_revision
from web.models import User
from web.settings import WebSettings
from web.setup import SetupError


def _tutor(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_db_upgrade_and_user_create(tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    r = _tutor(env, "db", "upgrade")
    assert r.returncode == 0, r.stderr
    assert f"database at {head_revision()} (was empty)" in r.stdout
    r = _tutor(
        env,
        "user",
        "create",
        "t@example.org",
        "--instructor",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert r.returncode == 0, r.stderr
    assert "created t@example.org as instructor" in r.stdout
    r = _tutor(env, "user", "create", "t@example.org", "--password-stdin", stdin="another one\n")
    assert r.returncode == 1
    assert "already exists" in r.stderr
    r = _tutor(env, "user", "create", "bad", "--password-stdin", stdin="short\n")
    assert r.returncode == 1
    engine = make_engine(f"sqlite:///{tmp_path / 'tutor.sqlite3'}")
    with Session(engine) as db:
        users = db.exec(select(User)).all()
    engine.dispose()
    assert [(u.email, u.role) for u in users] == [("t@example.org", "instructor")]
    assert "a long password" not in users[0].password_hash


def test_session_secret_is_generated_private_and_reused(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path / "d", database_url=None)
    app = create_app(settings)
    secret_file = tmp_path / "d" / "session_secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert context_of(app).secret == secret_file.read_text().strip()
    assert context_of(create_app(settings)).secret == context_of(app).secret
    given = WebSettings(data_dir=tmp_path / "e", database_url=None, session_secret="given-secret")
    assert context_of(create_app(given)).secret == "given-secret"
    assert not (tmp_path / "e" / "session_secret").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs TUTOR_TEST_DATABASE_URL (PostgreSQL)")
def test_refuses_to_start_on_a_database_behind(tmp_path: Path, pg_schema_url: str) -> None:
    with pytest.raises(SetupError, match="Run `tutor db upgrade` first"):
        create_app(WebSettings(data_dir=tmp_path, database_url=pg_schema_url))
    r = _tutor(
        {"TUTOR_DATA_DIR": str(tmp_path), "DATABASE_URL": pg_schema_url}, "serve", "--port", "1"
    )
    assert r.returncode == 1
    assert "Run `tutor db upgrade` first" in r.stderr
    assert "Traceback" not in r.stderr
