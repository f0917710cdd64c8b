"""The database engine, the per-request session, and inserts safe under concurrency.

SQLite runs in WAL mode with ``synchronous=FULL``: a commit returns only once its
WAL frames are written and synced, so an acknowledged write survives the process
being killed and also a power loss.  PostgreSQL comes from ``DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Dialect, Engine, Select, event
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


T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]  # a SELECT of any columns

# Threads for the quick reads of every page, by database: SQLite reads take microseconds
# and hold the GIL, so more threads only contend with the event loop for it (measured:
# one thread costs less CPU per lesson request than eight); PostgreSQL reads wait on the
# network with the GIL released, so a few overlap.
QUICK_READ_THREADS = {"sqlite": 1}
QUICK_READ_THREADS_OTHER = 4
_quick_reads: dict[str, ThreadPoolExecutor] = {}


def _reader(dialect: str) -> ThreadPoolExecutor:
    pool = _quick_reads.get(dialect)
    if pool is None:
        threads = QUICK_READ_THREADS.get(dialect, QUICK_READ_THREADS_OTHER)
        pool = _quick_reads.setdefault(
            dialect, ThreadPoolExecutor(threads, thread_name_prefix=f"tutor-read-{dialect}")
        )
    return pool


async def quick_read(db_engine: Engine, read: Callable[[], T]) -> T:
    """``read()`` (a short indexed read that takes and gives back its own connection on
    ``db_engine``) in a worker thread of its own small pool: never on the event loop.

    For the reads of every page (the session's user): the asyncio executor hop costs
    about a third of the CPU of anyio's ``to_thread`` (docs/operating.md, "Performance").
    A cancelled caller leaves the read to finish in its thread, connection and all.
    """
    executor = _reader(db_engine.dialect.name)
    return await asyncio.get_running_loop().run_in_executor(executor, read)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement compiled for one dialect, with its parameters' and columns' converters."""

    sql: str
    names: tuple[str, ...]  # the parameters in the order the driver takes them
    positional: bool
    defaults: dict[str, Any]
    to_db: dict[str, Callable[[Any], Any]]
    from_db: tuple[tuple[int, Callable[[Any], Any]], ...]

    @classmethod
    def of(cls, statement: AnySelect, dialect: Dialect) -> _Compiled:
        compiled = statement.compile(dialect=dialect)
        binds = compiled.binds
        if compiled.escaped_bind_names:
            raise ValueError("FastSelect: parameter names the driver cannot take as they are")
        to_db: dict[str, Callable[[Any], Any]] = {}
        for name, bind in binds.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                to_db[name] = convert
        from_db: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(statement.selected_columns):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if convert is not None:
                from_db.append((index, convert))
        return cls(
            sql=compiled.string,
            names=tuple(compiled.positiontup or binds),
            positional=compiled.positional,
            defaults={name: bind.effective_value for name, bind in binds.items()},
            to_db=to_db,
            from_db=tuple(from_db),
        )

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = {}
        for name in dict.fromkeys(self.names):
            value = given[name] if name in given else self.defaults[name]
            convert = self.to_db.get(name)
            values[name] = convert(value) if convert is not None else value
        return tuple(values[name] for name in self.names) if self.positional else values

    def row(self, raw: Any) -> tuple[Any, ...]:
        if not self.from_db:
            return tuple(raw)
        values = list(raw)
        for index, convert in self.from_db:
            values[index] = convert(values[index])
        return tuple(values)


class FastSelect:
    """A Core ``SELECT`` run straight on a pooled DBAPI connection: for the one-row reads
    of every page (the session's user; the lesson page's session, position and tutor
    conversation).

    On SQLite, ``Connection.execute`` costs about ten times the query itself (its
    execution context, result object and transaction: about 80 µs against 15 µs here,
    docs/operating.md, "Performance"). The statement is compiled once per dialect, and
    its parameters and columns are converted by their own types, as ``execute`` does;
    the connection goes back to the pool (rolled back) as a ``Connection`` would. No
    SQLAlchemy execution events fire for these reads.
    """

    def __init__(self, statement: AnySelect) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _Compiled.of(self.statement, dialect)
        return compiled

    def first(self, db_engine: Engine, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row for ``params`` (a blocking read: call it in a worker thread)."""
        compiled = self._for(db_engine.dialect)
        parameters = compiled.parameters(params)
        connection = db_engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(compiled.sql, parameters)
                raw = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
        return compiled.row(raw) if raw is not None else None


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
