"""The database engine and the per-request session.

SQLite runs in WAL mode with ``synchronous=FULL``: a commit returns only once its
WAL frames are written and synced, so an acknowledged write survives the process
being killed and also a power loss.  PostgreSQL comes from ``DATABASE_URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, full sync, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=40,  # one per threadpool worker: SQLite connections are cheap
            max_overflow=10,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, on the app's engine.

    Async so that it costs no thread hop: creating a session does no I/O (a connection
    is taken from the pool on first use, inside the sync endpoint's worker thread).
    """
    with Session(request.app.state.engine) as session:
        yield session


# scope="function": the session (and its pooled connection) is closed when the endpoint
# returns, not after the response has been sent to a possibly slow client; otherwise
# many slow clients could hold every pooled connection.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
