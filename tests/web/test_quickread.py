"""Quick reads on a real database (SQLite, and PostgreSQL when configured): batched
off the event loop, one connection per batch, each caller its own outcome."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, bindparam, event, select
from sqlalchemy.pool import QueuePool

from tests.web.conftest import DB_PARAMS
from web.db import make_engine
from web.quickread import FastSelect, quick_read

_meta = MetaData()
NOTE = Table("note", _meta, Column("id", Integer, primary_key=True), Column("body", String))
MISSING = Table("no_such_table", MetaData(), Column("id", Integer, primary_key=True))
BODY = FastSelect(select(NOTE.c.body).where(NOTE.c.id == bindparam("id")))
BROKEN = FastSelect(select(MISSING.c.id))


def _notes(url: str) -> Engine:
    engine = make_engine(url)
    _meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(NOTE.insert(), [{"id": i, "body": f"note {i}"} for i in range(1, 21)])
    return engine


@pytest.fixture(params=DB_PARAMS)
def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgres":
        engine = _notes(request.getfixturevalue("pg_schema_url"))
    else:
        engine = _notes(f"sqlite:///{tmp_path / 'quick.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = _notes(f"sqlite:///{tmp_path / 'quick.sqlite3'}")
    yield engine
    engine.dispose()


class Checkouts:
    """Counts the engine's pool checkouts, and which threads read."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.threads: set[int] = set()
        event.listen(engine, "checkout", self._checkout)

    def _checkout(self, *_: Any) -> None:
        self.count += 1
        self.threads.add(threading.get_ident())


def checked_out(engine: Engine) -> int:
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


def body(engine: Engine, note_id: int) -> str | None:
    row = BODY.first(engine, {"id": note_id})
    return row[0] if row is not None else None


def test_reads_of_one_turn_go_in_one_batch_on_one_connection(db_engine: Engine) -> None:
    checkouts = Checkouts(db_engine)

    async def main() -> tuple[list[str | None], int]:
        reads = [quick_read(db_engine, partial(body, db_engine, i)) for i in range(1, 21)]
        return list(await asyncio.gather(*reads)), threading.get_ident()

    bodies, loop_thread = asyncio.run(main())
    assert bodies == [f"note {i}" for i in range(1, 21)]
    assert checkouts.count == 1  # twenty reads, one connection
    assert loop_thread not in checkouts.threads  # never on the event loop
    assert checked_out(db_engine) == 0  # given back when the batch ended


def test_reads_asked_while_a_batch_runs_go_together_after_it(sqlite_engine: Engine) -> None:
    """SQLite has one reading thread (PostgreSQL several, each running a batch)."""
    db_engine = sqlite_engine
    checkouts = Checkouts(db_engine)
    running, release = threading.Event(), threading.Event()

    def slow() -> str | None:
        running.set()
        release.wait(10)
        return body(db_engine, 1)

    async def main() -> list[str | None]:
        first = asyncio.ensure_future(quick_read(db_engine, slow))
        await asyncio.get_running_loop().run_in_executor(None, running.wait, 10)
        later = []
        for i in range(2, 12):  # asked in ten different turns of the loop
            later.append(asyncio.ensure_future(quick_read(db_engine, partial(body, db_engine, i))))
            await asyncio.sleep(0)
        release.set()
        return [await first, *(await asyncio.gather(*later))]

    assert asyncio.run(main()) == [f"note {i}" for i in range(1, 12)]
    assert checkouts.count == 2  # the slow read's batch, then the ten others in one


def test_each_caller_gets_its_own_result_or_exception(db_engine: Engine) -> None:
    def read(i: int) -> str | None:
        if i % 3 == 0:
            raise ValueError(f"read {i} failed")
        return body(db_engine, i)

    async def main() -> list[object]:
        reads = [quick_read(db_engine, partial(read, i)) for i in range(1, 10)]
        return list(await asyncio.gather(*reads, return_exceptions=True))

    outcomes = asyncio.run(main())
    for i, outcome in enumerate(outcomes, start=1):
        if i % 3 == 0:
            assert isinstance(outcome, ValueError) and str(outcome) == f"read {i} failed"
        else:
            assert outcome == f"note {i}"


def test_a_failed_query_gives_its_connection_back_and_the_next_read_takes_another(
    db_engine: Engine,
) -> None:
    checkouts = Checkouts(db_engine)

    async def main() -> list[object]:
        reads = [
            quick_read(db_engine, lambda: body(db_engine, 1)),
            quick_read(db_engine, lambda: BROKEN.first(db_engine, {})),
            quick_read(db_engine, lambda: body(db_engine, 2)),
        ]
        return list(await asyncio.gather(*reads, return_exceptions=True))

    first, failed, after = asyncio.run(main())
    assert first == "note 1"
    assert isinstance(failed, db_engine.dialect.loaded_dbapi.Error)  # the driver's own
    assert after == "note 2"  # not on the failed (on PostgreSQL: aborted) transaction
    assert checkouts.count == 2
    assert checked_out(db_engine) == 0


def test_a_read_sees_what_was_committed_before_it_in_the_same_batch(db_engine: Engine) -> None:
    """The batch's connection holds no snapshot from one read to the next."""

    def write_then_read() -> str | None:
        with db_engine.begin() as conn:  # another connection commits
            conn.execute(NOTE.update().where(NOTE.c.id == 1).values(body="changed"))
        return body(db_engine, 1)

    async def main() -> list[str | None]:
        reads = [
            quick_read(db_engine, lambda: body(db_engine, 1)),
            quick_read(db_engine, write_then_read),
        ]
        return list(await asyncio.gather(*reads))

    assert asyncio.run(main()) == ["note 1", "changed"]


def test_a_cancelled_caller_leaves_the_others_their_results(db_engine: Engine) -> None:
    ran = threading.Event()

    def cancelled_read() -> str | None:
        ran.set()
        return body(db_engine, 1)

    async def main() -> list[str | None]:
        doomed = asyncio.ensure_future(quick_read(db_engine, cancelled_read))
        others = [quick_read(db_engine, partial(body, db_engine, i)) for i in (2, 3)]
        gathered = asyncio.gather(*others)
        await asyncio.sleep(0)  # the reads are asked for
        doomed.cancel()
        result = list(await gathered)
        with pytest.raises(asyncio.CancelledError):
            await doomed
        return result

    assert asyncio.run(main()) == ["note 2", "note 3"]
    assert ran.is_set()  # its read ran all the same (its thread was already given it)


def test_reads_work_on_each_new_event_loop(db_engine: Engine) -> None:
    """Tests and workers start several loops in one process: each has its own batches."""
    for i in (1, 2, 3):
        assert asyncio.run(quick_read(db_engine, partial(body, db_engine, i))) == f"note {i}"


def test_outside_a_batch_a_read_takes_and_gives_back_a_connection_of_its_own(
    db_engine: Engine,
) -> None:
    checkouts = Checkouts(db_engine)
    assert body(db_engine, 3) == "note 3"  # called straight, in this thread
    assert body(db_engine, 4) == "note 4"
    assert checkouts.count == 2
    assert checked_out(db_engine) == 0
