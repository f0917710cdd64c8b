"""The database tables (SQLModel): table families ``XBase`` / ``X`` (table) / ``XPublic`` (API)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

Role = Literal["learner", "instructor"]
EventKind = Literal["opened", "completed", "passed", "skipped"]
TargetKind = Literal["point", "topic", "exercise", "section", "course"]
AttemptKind = Literal["code", "quiz", "self-check", "notebook"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A time read back from the database, in UTC: SQLite gives back naive UTC times,
    PostgreSQL aware ones."""
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


MAX_ROW_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL


def row_id(text: str) -> int | None:
    """``text`` as a possible primary key (1 to :data:`MAX_ROW_ID`), else None."""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None


class UserBase(SQLModel):
    email: str = Field(max_length=254, unique=True, index=True)
    role: str = Field(default="learner", max_length=20)


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(UserBase):
    id: int


class AuthSession(SQLModel, table=True):
    """A logged-in browser: the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "auth_session"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LearnerStateRow(SQLModel, table=True):
    """A learner's place in a course and the tutor engine's state as JSON.

    (The engine's own model of that state is ``tutor.state.LearnerState``.)
    """

    __tablename__ = "learner_state"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    course_id: str = Field(max_length=80)
    position: str | None = Field(default=None, max_length=80)
    state_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ProgressEventBase(SQLModel):
    course_id: str = Field(max_length=80, index=True)
    kind: str = Field(max_length=20)  # an EventKind
    target_kind: str = Field(max_length=20)  # a TargetKind
    target_id: str = Field(max_length=80)


class ProgressEvent(ProgressEventBase, table=True):
    __tablename__ = "progress_event"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "kind", "target_kind", "target_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class ProgressEventPublic(ProgressEventBase):
    created_at: datetime


class AttemptBase(SQLModel):
    course_id: str = Field(max_length=80, index=True)
    exercise_id: str = Field(max_length=80, index=True)
    kind: str = Field(max_length=20)  # an AttemptKind
    passed: bool = False


class Attempt(AttemptBase, table=True):
    """Every attempt with its verdict, kept for good.

    ``score`` is the percent of its checks (or quiz questions) it got right, for the
    gradebook's best result; None on attempts stored before it was kept.
    """

    __table_args__ = (
        Index("ix_attempt_user_course_exercise", "user_id", "course_id", "exercise_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    score: int | None = None
    user_id: int = Field(foreign_key="user.id", index=True)
    submission: str = Field(default="", sa_column=Column(Text, nullable=False))
    verdict_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class AttemptPublic(AttemptBase):
    id: int
    created_at: datetime
    submission: str
    verdict_json: str


class ExerciseDraft(SQLModel, table=True):
    """A learner's unsubmitted code for one exercise (one row each, overwritten as they type)."""

    __tablename__ = "exercise_draft"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "exercise_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    course_id: str = Field(max_length=80)
    exercise_id: str = Field(max_length=80)
    source: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class LessonCache(SQLModel, table=True):
    """A generated lesson, keyed by a hash of everything that produced it."""

    __tablename__ = "lesson_cache"
    key: str = Field(primary_key=True, max_length=64)
    course_id: str = Field(max_length=80)
    point_id: str = Field(max_length=80)
    model: str = Field(max_length=200)
    content: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ModelUsage(SQLModel, table=True):
    __tablename__ = "model_usage"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    course_id: str = Field(max_length=80)
    model: str = Field(max_length=200)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class TutorCallBase(SQLModel):
    """One model call: where, what it cost, what the guard decided, what the learner saw."""

    course_id: str = Field(max_length=80, index=True)
    target_kind: str = Field(max_length=20)  # "point" or "exercise"
    target_id: str = Field(max_length=80)
    model: str = Field(max_length=200)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    guard: str = Field(max_length=20)  # a tutor.calls.GuardOutcome
    prompt_hash: str = Field(max_length=64)
    question: str = Field(default="", sa_column=Column(Text, nullable=False))
    reply: str = Field(default="", sa_column=Column(Text, nullable=False))


class TutorCall(TutorCallBase, table=True):
    """Every model call the web app makes, kept for instructors to read."""

    __tablename__ = "tutor_call"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class TutorCallPublic(TutorCallBase):
    id: int
    user_id: int
    created_at: datetime


class TutorFlagBase(SQLModel):
    note: str = Field(default="", max_length=2000)


class TutorFlag(TutorFlagBase, table=True):
    """An instructor's flag on a tutor reply (one per reply; flagging again updates it)."""

    __tablename__ = "tutor_flag"
    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="tutor_call.id", unique=True)
    instructor_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class TutorFlagPublic(TutorFlagBase):
    call_id: int
    instructor_id: int
    created_at: datetime


class TutorConversation(SQLModel, table=True):
    """A learner's conversation with the tutor about one point (``point:ID``) or one
    exercise's Help (``exercise:ID``): a JSON list of ``{"role", "text", "html"}``."""

    __tablename__ = "tutor_conversation"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "scope"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    course_id: str = Field(max_length=80)
    scope: str = Field(max_length=100)
    messages_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ExerciseHelpRow(SQLModel, table=True):
    """A learner's place on an exercise's hint ladder: the level, the hints given, the
    code blocks the tutor showed (the guard joins them). The code they asked about is
    kept as their draft; the requests are counted in ``limit_token`` (kind "help")."""

    __tablename__ = "exercise_help"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "exercise_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    course_id: str = Field(max_length=80)
    exercise_id: str = Field(max_length=80)
    level: int = 0
    given_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    blocks_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class SignupAttempt(SQLModel, table=True):
    """Every sign-up try, by client IP: the per-IP sign-up limit (shared by all workers)."""

    __tablename__ = "signup_attempt"
    id: int | None = Field(default=None, primary_key=True)
    ip: str = Field(max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class LimitToken(SQLModel, table=True):
    """A learner's use of a per-learner limit (``web.ratelimit``): a Run, a draft save or
    an attempt of the last minute, or a check in flight (its lease renewed while it
    runs). Counted while ``expires_at`` is ahead; pruned when the learner next acts."""

    __tablename__ = "limit_token"
    __table_args__ = (Index("ix_limit_token_user_kind", "user_id", "kind", "expires_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=20)
    expires_at: datetime


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    ip: str = Field(max_length=64, index=True)
    success: bool = False
    created_at: datetime = Field(default_factory=utcnow, index=True)


Visibility = Literal["public", "class"]
MemberRole = Literal["learner", "assistant"]


class CourseSetting(SQLModel, table=True):
    """An instructor's setting for one course: ``public`` (everyone, the default when no
    row exists) or ``class`` (members of a class it is assigned to, and instructors)."""

    __tablename__ = "course_setting"
    course_id: str = Field(primary_key=True, max_length=80)
    visibility: str = Field(default="public", max_length=10)  # a Visibility
    updated_at: datetime = Field(default_factory=utcnow)


class Classroom(SQLModel, table=True):
    """A class: its instructor (the owner), a join code, and its courses and members."""

    __tablename__ = "classroom"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    owner_id: int = Field(foreign_key="user.id", index=True)
    join_code: str = Field(max_length=16, unique=True, index=True)
    archived_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ClassCourse(SQLModel, table=True):
    __tablename__ = "class_course"
    class_id: int = Field(foreign_key="classroom.id", primary_key=True)
    course_id: str = Field(primary_key=True, max_length=80, index=True)
    position: int = 0


class ClassMember(SQLModel, table=True):
    """A learner in a class, or a teaching assistant (sees the class, cannot change it)."""

    __tablename__ = "class_member"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    class_id: int = Field(foreign_key="classroom.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(default="learner", max_length=20)  # a MemberRole
    joined_at: datetime = Field(default_factory=utcnow)


class ClassDeadline(SQLModel, table=True):
    __tablename__ = "class_deadline"
    class_id: int = Field(foreign_key="classroom.id", primary_key=True)
    course_id: str = Field(primary_key=True, max_length=80)
    exercise_id: str = Field(primary_key=True, max_length=80)
    due_at: datetime


class PasswordReset(SQLModel, table=True):
    """A one-time password reset link an instructor handed to a learner: the link holds a
    random token, the table its SHA-256."""

    __tablename__ = "password_reset"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
