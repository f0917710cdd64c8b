"""One-time set-up on start: the data directory, the session secret, the schema."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import Engine

from web import migrate
from web.settings import WebSettings

SECRET_FILE = "session_secret"  # noqa: S105 - a file name, not a secret


class SetupError(Exception):
    """The app cannot start; the message says what to do."""


def ensure_data_dir(settings: WebSettings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.data_dir


def session_secret(settings: WebSettings) -> str:
    """The given secret, else the one stored in the data directory (created 0600 on first run)."""
    if settings.session_secret is not None:
        return settings.session_secret.get_secret_value()
    path = ensure_data_dir(settings) / SECRET_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def is_sqlite(settings: WebSettings) -> bool:
    return settings.effective_database_url.startswith("sqlite")


def prepare_schema(settings: WebSettings, db_engine: Engine) -> None:
    """SQLite (the default) is migrated automatically; another database must be current."""
    if migrate.is_current(db_engine):
        return
    if is_sqlite(settings):
        migrate.upgrade(db_engine)
        return
    current = migrate.current_revision(db_engine) or "empty"
    raise SetupError(
        f"The database schema is behind (at {current}, needs {migrate.head_revision()}). "
        "Run `tutor db upgrade` first."
    )
