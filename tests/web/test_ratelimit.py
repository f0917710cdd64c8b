"""Per-learner quotas in the database (``web.ratelimit``), on SQLite and PostgreSQL:
the sliding window, leases that expire unless renewed, and exactness under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from web.app import create_app
from web.context import context_of
from web.models import LimitToken, User, utcnow
from web.ratelimit import MINUTE, Quota
from web.services.refusals import Refused
from web.settings import WebSettings


class Over(Refused):
    def __init__(self, wait: int) -> None:
        super().__init__(429, f"wait {wait}", retry_after=wait)


def quota(kind: str = "run", limit: int = 2, ttl: timedelta = MINUTE) -> Quota:
    return Quota(kind=kind, limit=limit, ttl=ttl, refuse=Over)


@pytest.fixture
def engine(settings: WebSettings) -> Iterator[Engine]:
    """The app's engine on a migrated database, with learners 1 to 3."""
    app = create_app(settings)
    engine = context_of(app).db_engine
    with Session(engine) as db:
        for n in (1, 2, 3):
            db.add(User(email=f"l{n}@example.org", password_hash="x"))
        db.commit()
    yield engine
    engine.dispose()


def take(engine: Engine, q: Quota, learner: int, now: datetime) -> int | None:
    """The seconds to wait when refused, else None (the token is committed)."""
    with Session(engine) as db:
        try:
            q.take(db, learner, now=now)
        except Over as over:
            return over.retry_after
        db.commit()
        return None


def test_admits_up_to_the_limit_per_learner_then_says_when(engine: Engine) -> None:
    q, t0 = quota(), utcnow()
    assert take(engine, q, 1, t0) is None
    assert take(engine, q, 1, t0 + timedelta(seconds=10)) is None
    assert take(engine, q, 1, t0 + timedelta(seconds=20)) == 40  # the first expires at 60
    assert take(engine, q, 2, t0 + timedelta(seconds=20)) is None  # per learner
    assert take(engine, quota("draft"), 1, t0 + timedelta(seconds=20)) is None  # per kind
    assert take(engine, q, 1, t0 + timedelta(seconds=60.5)) is None  # the first has gone
    with Session(engine) as db:  # the expired token was pruned, the refused one never kept
        kept = db.exec(select(LimitToken).where(LimitToken.kind == "run")).all()
    assert sorted(t.user_id for t in kept) == [1, 1, 2]


def test_a_token_given_back_frees_its_place(engine: Engine) -> None:
    q, now = quota(limit=1), utcnow()
    with Session(engine) as db:
        token = q.take(db, 1, now=now)
        db.commit()
    assert take(engine, q, 1, now) == 60
    with Session(engine) as db:
        Quota.give_back(db, token)
        db.commit()
    assert take(engine, q, 1, now) is None


def test_a_lease_counts_while_renewed_and_expires_when_not(engine: Engine) -> None:
    """A check's token: its process renews it while the check runs; a process that died
    renews nothing, and the learner's place comes back when the lease is over."""
    lease = timedelta(seconds=30)
    q, t0 = quota("check", limit=1, ttl=lease), utcnow()
    with Session(engine) as db:
        running = q.take(db, 1, now=t0)
        db.commit()
    later = t0 + timedelta(seconds=25)
    with Session(engine) as db:
        q.renew(db, [running], now=later)
        db.commit()
    assert take(engine, q, 1, t0 + timedelta(seconds=45)) == 10  # renewed: still running
    # nobody renews it any more (the worker died): free once the lease is over
    assert take(engine, q, 1, later + lease + timedelta(seconds=1)) is None


def test_concurrent_takes_admit_exactly_the_limit(engine: Engine) -> None:
    """Many threads with their own connections take at once: exactly ``limit`` win."""
    q, now = quota(limit=5), utcnow()
    start = threading.Barrier(20)
    results: list[int | None] = []

    def one() -> None:
        start.wait()
        results.append(take(engine, q, 3, now))

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 5, results
    with Session(engine) as db:
        assert len(db.exec(select(LimitToken).where(LimitToken.user_id == 3)).all()) == 5
