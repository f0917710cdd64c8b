"""The database engine, the per-request session, and inserts safe under concurrency.

(The short reads of every page go through :mod:`web.quickread` instead.)

SQLite runs in WAL mode with ``synchronous=FULL``: a commit returns only once its
WAL frames are written and synced, so an acknowledged write survives the process
being killed and also a power loss.  PostgreSQL comes from ``DATABASE_URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, SQLModel, create_engine

from web.context import context_of


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
        db_engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=40,  # one per threadpool worker: SQLite connections are cheap
            max_overflow=10,
        )
        event.listen(db_engine, "connect", _sqlite_pragmas)
        return db_engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, on the app's engine.

    Async so that it costs no thread hop: creating a session does no I/O (a connection
    is taken from the pool on first use, inside the sync endpoint's worker thread).
    """
    with Session(context_of(request.app).db_engine) as session:
        yield session


# scope="function": the session (and its pooled connection) is closed when the endpoint
# returns, not after the response has been sent to a possibly slow client; otherwise
# many slow clients could hold every pooled connection.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _insert(db: Session, model: type[SQLModel]) -> Any:
    """An INSERT for ``model`` in the session's dialect (both have ON CONFLICT)."""
    dialect = db.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(model.__table__)  # type: ignore[attr-defined]


def _row(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the model's defaults for every other column (the key left out
    when unset, for the database to assign)."""
    row = model(**values).model_dump()
    return {k: v for k, v in row.items() if v is not None or k in values}


def insert_new(db: Session, model: type[SQLModel], values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same unique key exists; whether it was new.

    Within the caller's transaction (no commit, no rollback): safe under concurrency.
    """
    statement = _insert(db, model).values(**_row(model, values)).on_conflict_do_nothing()
    return bool(db.connection().execute(statement).rowcount)


def upsert(
    db: Session, model: type[SQLModel], *, keys: dict[str, Any], values: dict[str, Any]
) -> None:
    """Insert the row with these unique ``keys``, or update its ``values``; no commit."""
    statement = _insert(db, model).values(**_row(model, keys | values))
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=values)
    db.connection().execute(statement)
