"""Login sessions (random token in the cookie, its hash in the DB), CSRF, device cookies.

Passwords are in :mod:`web.passwords`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import Engine, bindparam, exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, delete, select

from web.models import (
    AuthSession,
    ClassCourse,
    ClassMember,
    CourseSetting,
    LearnerStateRow,
    TutorConversation,
    User,
    utcnow,
)
from web.quickread import FastSelect

SESSION_COOKIE = "tutor_session"
CSRF_COOKIE = "tutor_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
DEVICE_COOKIE = "tutor_device"
SESSION_DAYS = 14
DEVICE_DAYS = 365


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(db: Session, user: User) -> str:
    """Create a login session for ``user``; returns the cookie token."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.exec(delete(AuthSession).where(col(AuthSession.expires_at) <= now))  # expired ones
    db.add(
        AuthSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
        )
    )
    db.commit()
    return token


@dataclass(frozen=True, slots=True)
class Viewer:
    """The logged-in account as a request sees it (no password hash, no ORM state)."""

    id: int
    email: str
    role: str


_SESSION_USER = FastSelect(
    sa_select(col(User.id), col(User.email), col(User.role))
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(AuthSession.id) == bindparam("sid"), col(AuthSession.expires_at) > bindparam("now"))
)  # built once: constructing a statement costs more than running it on SQLite


def session_user(db_engine: Engine, token: str | None) -> Viewer | None:
    """The user of a live login session: one query (session joined to its user) on a
    pooled connection of its own. Blocking: call it in a worker thread."""
    if not token or len(token) > 100:
        return None
    row = _SESSION_USER.first(db_engine, {"sid": _digest(token), "now": utcnow()})
    return Viewer(*row) if row is not None else None


_COURSE_VISIBILITY = (
    sa_select(col(CourseSetting.visibility))
    .where(col(CourseSetting.course_id) == bindparam("cid"))
    .scalar_subquery()
)
_IN_A_CLASS_OF_COURSE = exists().where(
    col(ClassMember.user_id) == col(User.id),
    col(ClassMember.class_id) == col(ClassCourse.class_id),
    col(ClassCourse.course_id) == bindparam("cid"),
)
_SESSION_USER_POSITION = FastSelect(
    sa_select(
        col(User.id),
        col(User.email),
        col(User.role),
        col(LearnerStateRow.position),
        col(TutorConversation.messages_json),
        _COURSE_VISIBILITY.label("visibility"),
        _IN_A_CLASS_OF_COURSE.label("member"),
    )
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .outerjoin(
        LearnerStateRow,
        (col(LearnerStateRow.user_id) == col(User.id))
        & (col(LearnerStateRow.course_id) == bindparam("cid")),
    )
    .outerjoin(
        TutorConversation,
        (col(TutorConversation.user_id) == col(User.id))
        & (col(TutorConversation.course_id) == bindparam("cid"))
        & (col(TutorConversation.scope) == bindparam("scope")),
    )
    .where(col(AuthSession.id) == bindparam("sid"), col(AuthSession.expires_at) > bindparam("now"))
)
_VISIBILITY_ONLY = FastSelect(sa_select(_COURSE_VISIBILITY.label("visibility")))


class SessionPlace(NamedTuple):
    """The viewer, their resume position in a course, and their conversation with the
    tutor in one scope (JSON, "" if none)."""

    user: Viewer | None
    position: str | None = None
    conversation_json: str = ""


@dataclass(frozen=True, slots=True)
class CourseAccess:
    """What decides whether the viewer may see a course (``web.classes.course_visible``)."""

    class_only: bool
    member: bool  # in a class the course is assigned to


def session_user_and_position(
    db_engine: Engine, token: str | None, course_id: str, scope: str = ""
) -> tuple[SessionPlace, CourseAccess]:
    """The session's user, their resume position in a course, their conversation with
    the tutor in ``scope``, and the course's visibility to them: one query, on a pooled
    connection of its own. Blocking: call it in a worker thread.

    The same session check as :func:`session_user` (live, unexpired session), with the
    learner's ``learner_state.position`` for ``course_id``, ``tutor_conversation`` for
    ``scope``, the course's setting and whether the user is in a class of it joined in.
    Without a session, only the course's setting is read.
    """
    params: dict[str, object] = {"cid": course_id, "scope": scope}
    row = None
    if token and len(token) <= 100:
        params |= {"sid": _digest(token), "now": utcnow()}
        row = _SESSION_USER_POSITION.first(db_engine, params)
    if row is None:
        setting = _VISIBILITY_ONLY.first(db_engine, params)
        visibility = setting[0] if setting is not None else None
        return SessionPlace(None), CourseAccess(visibility == "class", False)
    user_id, email, role, position, messages_json, visibility, member = row
    place = SessionPlace(Viewer(user_id, email, role), position, messages_json or "")
    return place, CourseAccess(visibility == "class", bool(member))


def close_session(db: Session, token: str | None) -> None:
    if token:
        db.exec(delete(AuthSession).where(col(AuthSession.id) == _digest(token)))
        db.commit()


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_csrf_token(secret: str) -> str:
    """A double-submit token: a random nonce signed with the session secret."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(secret, nonce)}"


def csrf_signed(secret: str, token: str) -> bool:
    nonce, _, signature = token.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(secret, nonce))


def csrf_ok(secret: str, cookie: str | None, submitted: str | None) -> bool:
    """The submitted token equals the cookie, and the cookie was signed by this server."""
    if not cookie or not submitted or len(cookie) > 200:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode()) and csrf_signed(secret, cookie)


def new_device_token(secret: str, email: str) -> str:
    """A browser's proof that it logged in to ``email`` before: a nonce signed with it."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, f'device:{email}:{nonce}')}"


def device_of(secret: str, email: str, cookie: str | None) -> str | None:
    """The device nonce if ``cookie`` was issued to a browser that logged in to ``email``."""
    if not cookie or len(cookie) > 100:
        return None
    nonce, _, signature = cookie.partition(".")
    expected = _sign(secret, f"device:{email}:{nonce}")
    return nonce if nonce and hmac.compare_digest(signature, expected) else None


def user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == email)).first()
