"""One-time set-up on start: the data directory, the session secret, the schema.

Everything in the data directory is private to the server's user: the directory is
0700, the SQLite database 0600 (SQLite gives its ``-wal`` and ``-shm`` files the
database's mode), the session secret 0600.

The first instructor: while no instructor account exists, ``tutor serve`` prints a setup
token, and a sign-up that gives it becomes an instructor.  The token is derived from
the session secret (every worker and host knows it, nothing is stored) and is refused
once an instructor exists.  ``tutor user create --instructor`` works at any time.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlmodel import Session

from web import migrate
from web.accounts import instructor_exists
from web.settings import WebSettings

SECRET_FILE = "session_secret"  # noqa: S105 - a file name, not a secret
WAL_FILES = ("-wal", "-shm", "-journal")


class SetupError(Exception):
    """The app cannot start; the message says what to do."""


def _private(path: Path, mode: int) -> None:
    """Give ``path`` ``mode`` if this user owns it (a shared one is left to its owner)."""
    info = path.stat()
    if info.st_uid == os.geteuid() and info.st_mode & 0o777 != mode:
        path.chmod(mode)


def _sqlite_file(settings: WebSettings) -> Path | None:
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _create_private(database: Path) -> None:
    """Create the database file 0600 if it does not exist; never open an existing one.

    Opening and closing any descriptor of a file drops every POSIX lock this process
    holds on it (fcntl locks belong to the process, not the descriptor): done while the
    app's pooled SQLite connections are open, it silently dropped their shared lock, so
    the next outside connection to close (``sqlite3 tutor.sqlite3 ...``) believed it was
    the last, checkpointed and deleted the WAL under the running server, whose later
    commits were then lost (https://sqlite.org/howtocorrupt.html, section 2.2).
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def ensure_data_dir(settings: WebSettings) -> Path:
    """The data directory (0700), with the SQLite database file created 0600 beforehand."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _private(settings.data_dir, 0o700)
    database = _sqlite_file(settings)
    if database is not None and database.parent.is_dir():
        _create_private(database)
        for path in (database, *(database.with_name(database.name + s) for s in WAL_FILES)):
            if path.exists():
                _private(path, 0o600)
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
    _private(path, 0o600)
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


def setup_token(secret: str) -> str:
    """The first-instructor token: 16 letters and digits, from the session secret."""
    digest = hmac.new(secret.encode(), b"tutor first-instructor setup", hashlib.sha256).digest()
    code = base64.b32encode(digest[:10]).decode()
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def setup_token_ok(secret: str, given: str) -> bool:
    """Whether ``given`` is the setup token (case, spaces and dashes ignored)."""
    cleaned = "".join(c for c in given.upper() if c.isalnum())[:64]
    return hmac.compare_digest(cleaned.encode(), setup_token(secret).replace("-", "").encode())


def first_instructor_notice(engine: Engine, secret: str, url: str) -> str | None:
    """What ``tutor serve`` prints while nobody can administer the server yet."""
    with Session(engine) as db:
        if instructor_exists(db):
            return None
    return (
        f"No instructor account yet. Sign up at {url}/signup with the setup token "
        f"{setup_token(secret)} to become the first instructor "
        "(or run `tutor user create EMAIL --instructor`). Every other sign-up is a learner."
    )
