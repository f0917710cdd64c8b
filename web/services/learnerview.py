"""What an instructor sees of one learner: their attempts (a page at a time) and their
conversations with the tutor, read in one worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from web.attempts import verdict_of
from web.context import AppContext
from web.models import Attempt, User
from web.services.conversations import Conversation, exchanges_of, group
from web.services.transaction import reading

ATTEMPTS_PAGE = 50


@dataclass(frozen=True)
class LearnerView:
    learner: User
    attempts: list[tuple[Attempt, dict[str, Any]]]
    more: bool
    conversations: list[Conversation]


async def learner_view(*, app: AppContext, user_id: int, page: int) -> LearnerView | None:
    """The learner's attempts, newest first, ``ATTEMPTS_PAGE`` at a time, and their tutor
    conversations; None if there is no such user."""

    def work(db: Session) -> LearnerView | None:
        learner = db.get(User, user_id)
        if learner is None:
            return None
        attempts = db.exec(
            select(Attempt)
            .where(Attempt.user_id == user_id)
            .order_by(col(Attempt.id).desc())
            .offset((page - 1) * ATTEMPTS_PAGE)
            .limit(ATTEMPTS_PAGE + 1)
        ).all()
        return LearnerView(
            learner=learner,
            attempts=[(a, verdict_of(a)) for a in attempts[:ATTEMPTS_PAGE]],
            more=len(attempts) > ATTEMPTS_PAGE,
            conversations=group(exchanges_of(db, user_id)),
        )

    return await reading(app.db_engine, work)
