"""Instructors read what the tutor said: a learner's recorded tutor calls grouped into
conversations (one per course and point or exercise), and flags on replies.

Only instructors reach these (the routes require the role); each function is one read or
one transaction in a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from web.context import AppContext
from web.db import upsert
from web.models import TutorCall, TutorFlag, User, utcnow
from web.paging import PAGE_SIZE, Window, newest_first
from web.services.transaction import in_transaction, reading

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class Exchange:
    """One recorded model call and the instructor's flag on it, if any."""

    call: TutorCall
    flag: TutorFlag | None


@dataclass(frozen=True)
class Conversation:
    """A learner's exchanges with the tutor at one point or exercise, oldest first."""

    course_id: str
    target_kind: str
    target_id: str
    exchanges: list[Exchange]


@dataclass(frozen=True)
class FlaggedReply:
    exchange: Exchange
    learner_email: str


def _flags_of(db: Session, call_ids: list[int]) -> dict[int, TutorFlag]:
    if not call_ids:
        return {}
    rows = db.exec(select(TutorFlag).where(col(TutorFlag.call_id).in_(call_ids))).all()
    return {f.call_id: f for f in rows}


@dataclass(frozen=True)
class CallPage:
    """A page of a learner's recorded calls (oldest first, for reading) and the cursors
    of the newer and older pages (None: there is none)."""

    exchanges: list[Exchange]
    newer: int | None
    older: int | None


def exchanges_of(
    db: Session,
    user_id: int,
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> CallPage:
    """``size`` of the learner's calls: the newest, or those just older than call
    ``before``, or just newer than call ``after``; with their flags."""
    window: Window[TutorCall] = newest_first(
        db,
        select(TutorCall).where(TutorCall.user_id == user_id),
        col(TutorCall.id),
        lambda c: c.id or 0,
        before=before,
        after=after,
        size=size,
    )
    flags = _flags_of(db, [c.id for c in window.items if c.id is not None])
    exchanges = [Exchange(call=c, flag=flags.get(c.id or 0)) for c in reversed(window.items)]
    return CallPage(exchanges, window.newer, window.older)


def group(exchanges: list[Exchange]) -> list[Conversation]:
    """Exchanges by course and point or exercise, in the order each conversation began."""
    found: dict[tuple[str, str, str], list[Exchange]] = {}
    for ex in exchanges:
        key = (ex.call.course_id, ex.call.target_kind, ex.call.target_id)
        found.setdefault(key, []).append(ex)
    return [Conversation(*key, exchanges=items) for key, items in found.items()]


async def learner_exchanges(
    *,
    app: AppContext,
    user_id: int,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> CallPage:
    """A page of the learner's recorded calls (:func:`exchanges_of`)."""

    def work(db: Session) -> CallPage:
        return exchanges_of(db, user_id, before=before, after=after, size=size)

    return await reading(app.db_engine, work)


async def flag_reply(
    *, app: AppContext, call_id: int, instructor_id: int, note: str
) -> Exchange | None:
    """Flag a recorded reply (again: the note is replaced); None if no such call."""

    def work(db: Session) -> Exchange | None:
        call = db.get(TutorCall, call_id)
        if call is None:
            return None
        values = {
            "instructor_id": instructor_id,
            "note": note.strip()[:MAX_NOTE_CHARS],
            "created_at": utcnow(),
        }
        upsert(db, TutorFlag, keys={"call_id": call_id}, values=values)
        flag = db.exec(select(TutorFlag).where(TutorFlag.call_id == call_id)).one()
        return Exchange(call=call, flag=flag)

    return await in_transaction(app.db_engine, work)


async def unflag_reply(*, app: AppContext, call_id: int) -> TutorCall | None:
    """Remove the flag on a reply (if any); the call, or None if there is no such call."""

    def work(db: Session) -> TutorCall | None:
        flag = db.exec(select(TutorFlag).where(TutorFlag.call_id == call_id)).first()
        if flag is not None:
            db.delete(flag)
        return db.get(TutorCall, call_id)

    return await in_transaction(app.db_engine, work)


async def flagged_replies(
    *,
    app: AppContext,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> Window[FlaggedReply]:
    """A page of the flagged replies, newest flag first, with the learner's email (the
    cursors are flag ids)."""

    def work(db: Session) -> Window[FlaggedReply]:
        window: Window[Any] = newest_first(
            db,
            select(TutorFlag, TutorCall, User.email)
            .join(TutorCall, col(TutorCall.id) == col(TutorFlag.call_id))
            .join(User, col(User.id) == col(TutorCall.user_id)),
            col(TutorFlag.id),
            lambda row: row[0].id or 0,
            before=before,
            after=after,
            size=size,
        )
        items = [
            FlaggedReply(Exchange(call=c, flag=f), learner_email=e) for f, c, e in window.items
        ]
        return Window(items, window.newer, window.older)

    return await reading(app.db_engine, work)
