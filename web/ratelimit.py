"""Per-learner limits kept in the database, so they hold across workers and hosts.

A :class:`Quota` lets one learner hold at most ``limit`` live tokens of one kind; a
token lives until its ``expires_at``:

* a rate (``TUTOR_RUNS_PER_MINUTE``, ``TUTOR_DRAFTS_PER_MINUTE``,
  ``TUTOR_ATTEMPTS_PER_MINUTE``): each admitted event takes a token that expires a minute
  later, so at most ``limit`` events fall in any minute (a sliding window);
* a cap on things in flight (``TUTOR_CHECKS_PER_LEARNER``): a check takes a token for a
  short lease, its process renews the lease while the check runs and gives the token
  back when it ends. A process that dies mid-check stops renewing: its tokens expire
  within the lease, and the learner is not locked out for good.

Taking a token is exact under concurrency: one transaction, serialised per learner and
kind (:func:`serialise`), prunes the learner's expired tokens, counts the live ones and
inserts the new one only below the limit. A refused take inserts nothing: the caller's
transaction ends with the refusal. Times are the servers' clocks (UTC): hosts sharing a
database must keep their clocks in step, as they must for login sessions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, text
from sqlmodel import Session, col, delete, func, select, update

from web.models import LimitToken, aware, utcnow
from web.services.refusals import Refused

MINUTE = timedelta(minutes=1)


def serialise(db: Session, key: str) -> None:
    """Make this transaction the only one counting for ``key`` until it ends.

    PostgreSQL: a transaction-level advisory lock on the key.  SQLite needs none: the
    transaction's first statement must then be a write, which takes the database's
    write lock (held until the commit) before anything is read.
    """
    if db.get_bind().dialect.name == "postgresql":
        lock = text("SELECT pg_advisory_xact_lock(hashtext(:key))")
        db.connection().execute(lock, {"key": key})


@dataclass(frozen=True, kw_only=True)
class Quota:
    """At most ``limit`` live tokens of ``kind`` per learner, each living ``ttl``.

    ``refuse(seconds)`` is the refusal raised beyond the limit, given the seconds until
    the learner's soonest token expires.
    """

    kind: str
    limit: int
    ttl: timedelta
    refuse: Callable[[int], Refused]

    def _mine(self, learner: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return col(LimitToken.user_id) == learner, col(LimitToken.kind) == self.kind

    def take(self, db: Session, learner: int, *, now: datetime | None = None) -> int:
        """A token for ``learner`` (its id), in the caller's transaction, which must not
        have written yet (see :func:`serialise`); raises ``refuse(...)`` beyond the limit."""
        now = utcnow() if now is None else now
        serialise(db, f"quota:{self.kind}:{learner}")
        mine = self._mine(learner)
        db.exec(delete(LimitToken).where(*mine, col(LimitToken.expires_at) <= now))
        live, soonest = db.exec(
            select(func.count(), func.min(LimitToken.expires_at)).where(*mine)
        ).one()
        if live >= self.limit and soonest is not None:
            raise self.refuse(max(1, math.ceil((aware(soonest) - now).total_seconds())))
        token = LimitToken(user_id=learner, kind=self.kind, expires_at=now + self.ttl)
        db.add(token)
        db.flush()
        assert token.id is not None
        return token.id

    def renew(self, db: Session, tokens: Sequence[int], *, now: datetime | None = None) -> None:
        """Extend these tokens' lives by ``ttl`` from ``now`` (the ones still there)."""
        if tokens:
            now = utcnow() if now is None else now
            db.exec(
                update(LimitToken)
                .where(col(LimitToken.id).in_(tokens))
                .values(expires_at=now + self.ttl)
            )

    @staticmethod
    def give_back(db: Session, token: int) -> None:
        """Give the token back before it expires (the check ended, the attempt was not
        made after all)."""
        db.exec(delete(LimitToken).where(col(LimitToken.id) == token))
