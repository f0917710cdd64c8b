"""A learner's conversation with the tutor, kept per point and per exercise's Help.

Stored in ``tutor_conversation`` as a JSON list of messages ``{"role", "text", "html"}``:
the learner's words as they typed them (shown escaped), the tutor's reply as the HTML
the page showed (rendered on the server from Markdown with raw HTML disabled, or from
the tutor's partial templates). Bounded: the newest :data:`MAX_MESSAGES` messages, each
cut to a limit. Instructors can read them (learners are told so by the box).
"""

from __future__ import annotations

import json
from typing import Literal, TypedDict

from sqlmodel import Session, col, delete, select

from web.context import AppContext
from web.db import upsert
from web.models import TutorConversation, utcnow
from web.services.transaction import in_transaction, reading

MAX_MESSAGES = 40
MAX_TEXT_CHARS = 4000
MAX_HTML_CHARS = 60_000


class Message(TypedDict):
    role: Literal["learner", "tutor"]
    text: str
    html: str


def point_scope(point_id: str) -> str:
    return f"point:{point_id}"


def exercise_scope(exercise_id: str) -> str:
    return f"exercise:{exercise_id}"


def learner_says(text: str) -> Message:
    return Message(role="learner", text=text[:MAX_TEXT_CHARS], html="")


TOO_LONG = '<p class="notice">This reply was too long to keep here.</p>'


def tutor_says(html: str) -> Message:
    """The tutor's reply as shown; one too long to keep is replaced whole by a note (never
    cut, which could leave a tag open)."""
    return Message(role="tutor", text="", html=html if len(html) <= MAX_HTML_CHARS else TOO_LONG)


def _row(db: Session, user_id: int, course_id: str, scope: str) -> TutorConversation | None:
    query = select(TutorConversation).where(
        TutorConversation.user_id == user_id,
        TutorConversation.course_id == course_id,
        TutorConversation.scope == scope,
    )
    return db.exec(query).first()


def read_messages(db: Session, *, user_id: int, course_id: str, scope: str) -> list[Message]:
    row = _row(db, user_id, course_id, scope)
    return parse_messages(row.messages_json) if row is not None else []


def parse_messages(text: str) -> list[Message]:
    """A stored conversation's messages ([] for "" or anything unreadable)."""
    if not text:
        return []
    try:
        found = json.loads(text)
    except ValueError:
        return []
    if not isinstance(found, list):
        return []
    return [
        Message(role=m["role"], text=str(m.get("text", "")), html=str(m.get("html", "")))
        for m in found
        if isinstance(m, dict) and m.get("role") in ("learner", "tutor")
    ]


def _append(db: Session, user_id: int, course_id: str, scope: str, new: list[Message]) -> None:
    messages = [*read_messages(db, user_id=user_id, course_id=course_id, scope=scope), *new]
    keys = {"user_id": user_id, "course_id": course_id, "scope": scope}
    values = {"messages_json": json.dumps(messages[-MAX_MESSAGES:]), "updated_at": utcnow()}
    upsert(db, TutorConversation, keys=keys, values=values)


async def conversation(
    *, app: AppContext, user_id: int, course_id: str, scope: str
) -> list[Message]:
    """The learner's conversation in ``scope``, oldest first."""

    def work(db: Session) -> list[Message]:
        return read_messages(db, user_id=user_id, course_id=course_id, scope=scope)

    return await reading(app.db_engine, work)


async def add_messages(
    *, app: AppContext, user_id: int, course_id: str, scope: str, new: list[Message]
) -> None:
    def work(db: Session) -> None:
        _append(db, user_id, course_id, scope, new)

    await in_transaction(app.db_engine, work)


async def clear_conversation(*, app: AppContext, user_id: int, course_id: str, scope: str) -> None:
    def work(db: Session) -> None:
        db.exec(
            delete(TutorConversation).where(
                col(TutorConversation.user_id) == user_id,
                col(TutorConversation.course_id) == course_id,
                col(TutorConversation.scope) == scope,
            )
        )

    await in_transaction(app.db_engine, work)
