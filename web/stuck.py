"""Learners who need help in a class: stuck on an exercise (several failed attempts and
no pass), or no progress for some days. Counted by the database, bounded lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func

from curriculum import Course
from web.gradebook import Column, at_exercises
from web.models import Attempt, ClassMember, ProgressEvent, User, aware, utcnow
from web.paging import Slice, offset_of

MIN_FAILED = 3  # failed attempts at one exercise, none passed
IDLE_DAYS = 7
HELP_PAGE = 50  # learners per page of each list


@dataclass(frozen=True)
class StuckOn:
    user_id: int
    email: str
    column: Column
    failed: int
    last: datetime
    hints: int  # the exercise's hints (one is shown per failed attempt)

    @property
    def hints_exhausted(self) -> bool:
        return self.hints > 0 and self.failed >= self.hints


@dataclass(frozen=True)
class Idle:
    user_id: int
    email: str
    last: datetime | None  # None: nothing done in the class's courses yet
    joined: datetime


def _members(class_id: int) -> Any:
    return sa_select(col(ClassMember.user_id)).where(
        col(ClassMember.class_id) == class_id, col(ClassMember.role) == "learner"
    )


def stuck_on_exercises(
    db: Session,
    *,
    class_id: int,
    columns: list[Column],
    courses: dict[str, Course],
    min_failed: int = MIN_FAILED,
    page: int = 1,
    size: int = HELP_PAGE,
) -> Slice[StuckOn]:
    """A page of the learners with ``min_failed`` or more failed attempts and no pass at
    one exercise, the most failures first."""
    failed = func.count()
    rows = db.connection().execute(
        sa_select(
            col(Attempt.user_id),
            col(User.email),
            col(Attempt.course_id),
            col(Attempt.exercise_id),
            failed.label("failed"),
            func.max(Attempt.created_at).label("last"),
        )
        .join(User, col(User.id) == col(Attempt.user_id))
        .where(col(Attempt.user_id).in_(_members(class_id)), at_exercises(columns))
        .group_by(
            col(Attempt.user_id), col(User.email), col(Attempt.course_id), col(Attempt.exercise_id)
        )
        .having(func.max(case((col(Attempt.passed), 1), else_=0)) == 0, failed >= min_failed)
        .order_by(failed.desc(), col(User.email), col(Attempt.course_id), col(Attempt.exercise_id))
        .offset(offset_of(page, size))
        .limit(size + 1)
    )
    by_key = {c.key: c for c in columns}
    out = []
    for r in rows:
        column = by_key[f"{r.course_id}/{r.exercise_id}"]
        ref = courses[r.course_id].outline.exercise(r.exercise_id)
        hints = len(getattr(ref.exercise, "hints", ())) if ref is not None else 0
        out.append(StuckOn(r.user_id, r.email, column, int(r.failed), aware(r.last), hints))
    return Slice.of(out, page, size)


def idle_learners(
    db: Session,
    *,
    class_id: int,
    course_ids: list[str],
    days: int = IDLE_DAYS,
    page: int = 1,
    size: int = HELP_PAGE,
) -> Slice[Idle]:
    """A page of the learners who joined more than ``days`` ago and did nothing in the
    class's courses since (no attempt, no progress event), the longest idle first."""
    since = utcnow() - timedelta(days=days)
    activity = union_all(
        sa_select(col(Attempt.user_id).label("user_id"), col(Attempt.created_at).label("at")).where(
            col(Attempt.course_id).in_(course_ids), col(Attempt.user_id).in_(_members(class_id))
        ),
        sa_select(
            col(ProgressEvent.user_id).label("user_id"), col(ProgressEvent.created_at).label("at")
        ).where(
            col(ProgressEvent.course_id).in_(course_ids),
            col(ProgressEvent.user_id).in_(_members(class_id)),
        ),
    ).subquery()
    last = (
        sa_select(activity.c.user_id, func.max(activity.c.at).label("last"))
        .group_by(activity.c.user_id)
        .subquery()
    )
    rows = db.connection().execute(
        sa_select(col(User.id), col(User.email), last.c.last, col(ClassMember.joined_at))
        .select_from(ClassMember)
        .join(User, col(User.id) == col(ClassMember.user_id))
        .outerjoin(last, last.c.user_id == col(ClassMember.user_id))
        .where(
            col(ClassMember.class_id) == class_id,
            col(ClassMember.role) == "learner",
            col(ClassMember.joined_at) < since,
            (last.c.last.is_(None)) | (last.c.last < since),
        )
        .order_by(last.c.last.asc().nulls_first(), col(User.email), col(User.id))
        .offset(offset_of(page, size))
        .limit(size + 1)
    )
    found = [
        Idle(r.id, r.email, aware(r.last) if r.last is not None else None, aware(r.joined_at))
        for r in rows
    ]
    return Slice.of(found, page, size)
