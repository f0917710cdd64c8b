"""Quick reads: the short indexed reads of every page, off the event loop, in batches.

Every page reads the viewer's session (the lesson page also their position and their
conversation with the tutor). Such a read takes microseconds on SQLite, but handing it
to a worker thread and back costs far more CPU than the read (measured on the lesson
page under 50 clients: about 0.2 ms a request for an empty hop, a third of the page's
CPU). So :func:`quick_read` never runs a read on the event loop, and gives the reads
that wait together to a thread in one hop:

- the reads asked for in one turn of the event loop, and those asked for while the
  batches before them run, go to a worker thread together and come back together;
- in a batch, every :class:`FastSelect` on the same engine uses one pooled connection,
  taken at its first read and given back (rolled back) when the batch ends; a read that
  fails gives its connection back at once, so the next read takes a fresh one;
- each caller gets its own result or exception; a cancelled caller's read still runs.

One thread for SQLite (its reads hold the GIL: more threads only contend with the
event loop for it), a few for PostgreSQL, whose reads wait on the network with the GIL
released: up to that many batches run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Dialect, Engine, Select
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import PoolProxiedConnection

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]  # a SELECT of any columns

QUICK_READ_THREADS = {"sqlite": 1}
QUICK_READ_THREADS_OTHER = 4
_executors: dict[str, ThreadPoolExecutor] = {}


def _threads(dialect: str) -> int:
    return QUICK_READ_THREADS.get(dialect, QUICK_READ_THREADS_OTHER)


def _executor(dialect: str) -> ThreadPoolExecutor:
    pool = _executors.get(dialect)
    if pool is None:
        pool = _executors.setdefault(
            dialect,
            ThreadPoolExecutor(_threads(dialect), thread_name_prefix=f"tutor-read-{dialect}"),
        )
    return pool


async def quick_read(db_engine: Engine, read: Callable[[], T]) -> T:
    """``read()`` (a short indexed read that takes its connection on ``db_engine``) in a
    worker thread, batched with the other reads waiting (see the module docstring).

    Never on the event loop: a saturated database or connection pool stalls the reads,
    not the process.
    """
    loop = asyncio.get_running_loop()
    return cast(T, await _batcher(loop, db_engine.dialect.name).submit(read))


_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Batcher]] = (
    weakref.WeakKeyDictionary()
)


def _batcher(loop: asyncio.AbstractEventLoop, dialect: str) -> _Batcher:
    of_loop = _batchers.setdefault(loop, {})
    batcher = of_loop.get(dialect)
    if batcher is None:
        batcher = of_loop[dialect] = _Batcher(loop, _executor(dialect), _threads(dialect))
    return batcher


@dataclass(frozen=True, slots=True)
class _Raised:
    error: BaseException


_Job = tuple[Callable[[], Any], "asyncio.Future[Any]"]


class _Batcher:
    """The reads of one event loop on one dialect's threads: see the module docstring."""

    def __init__(self, loop: asyncio.AbstractEventLoop, executor: ThreadPoolExecutor, most: int):
        self._loop = loop
        self._executor = executor
        self._most = most  # batches running at once: the dialect's threads
        self._waiting: list[_Job] = []
        self._running = 0
        self._flush_due = False

    def submit(self, read: Callable[[], Any]) -> asyncio.Future[Any]:
        future = self._loop.create_future()
        self._waiting.append((read, future))
        self._flush_soon()
        return future

    def _flush_soon(self) -> None:
        """Send what waits at the end of this turn of the loop, if a thread is free."""
        if self._waiting and self._running < self._most and not self._flush_due:
            self._flush_due = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_due = False
        batch, self._waiting = self._waiting, []
        self._running += 1
        try:
            self._executor.submit(self._run, batch)
        except RuntimeError as error:  # the executor is shut down (the process is ending)
            self._deliver(batch, [_Raised(error)] * len(batch))

    def _run(self, batch: list[_Job]) -> None:
        """In the worker thread: every read of the batch, then one hop back."""
        try:
            outcomes = run_batch([read for read, _ in batch])
        except BaseException as error:  # (giving a connection back failed): no caller waits forever
            outcomes = [_Raised(error)] * len(batch)
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody waits any more
            self._loop.call_soon_threadsafe(self._deliver, batch, outcomes)

    def _deliver(self, batch: list[_Job], outcomes: list[Any]) -> None:
        self._running -= 1
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():  # cancelled while its read ran
                continue
            if isinstance(outcome, _Raised):
                future.set_exception(outcome.error)
            else:
                future.set_result(outcome)
        self._flush_soon()


class _Held(threading.local):
    """The connections a worker thread's running batch holds, by engine (None: no batch)."""

    connections: dict[Engine, PoolProxiedConnection] | None = None


_held = _Held()


def run_batch(reads: list[Callable[[], Any]]) -> list[Any]:
    """Run ``reads`` in this thread, sharing one connection per engine (see
    :func:`connection`); each one's result, or its exception as ``_Raised``."""
    _held.connections = {}
    outcomes: list[Any] = []
    try:
        for read in reads:
            try:
                outcomes.append(read())
            except BaseException as error:  # delivered to its caller, like any result
                outcomes.append(_Raised(error))
    finally:
        held, _held.connections = _held.connections, None
        for pooled in held.values():
            pooled.close()  # back to the pool, rolled back
    return outcomes


@contextmanager
def connection(db_engine: Engine) -> Iterator[DBAPIConnection]:
    """A pooled DBAPI connection for one read: the running batch's for this engine,
    else one of its own, given back after the read. A read that fails gives the
    connection back at once (the pool resets or discards it)."""
    held = _held.connections
    if held is None:
        own = db_engine.raw_connection()
        try:
            yield cast(DBAPIConnection, own)
        finally:
            own.close()
        return
    pooled: PoolProxiedConnection | None = held.get(db_engine)
    if pooled is None:
        pooled = held[db_engine] = db_engine.raw_connection()
    try:
        yield cast(DBAPIConnection, pooled)
    except BaseException:
        del held[db_engine]
        pooled.close()
        raise


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
    the connection is the batch's (see :func:`connection`), given back rolled back as a
    ``Connection`` would be. No SQLAlchemy execution events fire for these reads.
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
        """The first row for ``params`` (a blocking read: call it through :func:`quick_read`)."""
        compiled = self._for(db_engine.dialect)
        parameters = compiled.parameters(params)
        with connection(db_engine) as dbapi:
            cursor = dbapi.cursor()
            try:
                cursor.execute(compiled.sql, parameters)
                raw = cursor.fetchone()
            finally:
                cursor.close()
        return compiled.row(raw) if raw is not None else None
