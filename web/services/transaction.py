"""Database work for an operation: in a worker thread, in one transaction.

The connection is taken inside the thread and given back before the thread ends, so
the event loop never waits on the database and nothing holds a connection while it
waits for something else (a runner, the model, a slow client).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TypeVar

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session

T = TypeVar("T")
K = TypeVar("K")


def _commit(db_engine: Engine, work: Callable[[Session], T]) -> T:
    with Session(db_engine, expire_on_commit=False) as db:
        result = work(db)
        db.commit()
        return result


def _read(db_engine: Engine, work: Callable[[Session], T]) -> T:
    with Session(db_engine) as db:
        return work(db)


async def in_transaction(db_engine: Engine, work: Callable[[Session], T]) -> T:
    """``work(db)`` then one commit (all or nothing), in a worker thread."""
    return await to_thread.run_sync(_commit, db_engine, work)


async def reading(db_engine: Engine, work: Callable[[Session], T]) -> T:
    """``work(db)`` for reads only (nothing is committed), in a worker thread."""
    return await to_thread.run_sync(_read, db_engine, work)


def _read_chunk(
    db_engine: Engine, read: Callable[[Session, K | None], tuple[str, K | None]], key: K | None
) -> tuple[str, K | None]:
    with Session(db_engine) as db:
        return read(db, key)


async def read_in_chunks(
    db_engine: Engine, read: Callable[[Session, K | None], tuple[str, K | None]]
) -> AsyncIterator[bytes]:
    """A download streamed a chunk at a time: ``read(db, key)`` gives the text of the
    chunk after ``key`` (None: the first) and the key of the next chunk (None: done). Each
    chunk is one short read in a worker thread; no connection is held while the client
    takes the bytes, and no more than a chunk is in memory."""
    key: K | None = None
    while True:
        text, key = await to_thread.run_sync(_read_chunk, db_engine, read, key)
        yield text.encode()
        if key is None:
            return
