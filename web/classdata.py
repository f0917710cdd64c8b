"""Class data for instructors: progress per learner and section (a page of learners at a
time), exercise statistics (counted by the database), usage."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, distinct, or_, union
from sqlmodel import Session, col, func, select

from curriculum import Course
from web.models import Attempt, ModelUsage, ProgressEvent, User
from web.paging import Slice, offset_of
from web.progress import Done, SectionBar, section_bars


@dataclass(frozen=True)
class LearnerRow:
    user: User
    bars: list[SectionBar]
    attempts: int
    last_seen: str
    model_calls: int = 0
    model_tokens: int = 0


@dataclass(frozen=True)
class ExerciseStats:
    exercise_id: str
    title: str
    learners: int
    passed: int
    attempts: int
    failing_checks: list[tuple[str, int]]

    @property
    def pass_rate(self) -> int | None:
        """Percent of the learners who tried it that passed; None when nobody tried."""
        return round(100 * self.passed / self.learners) if self.learners else None


def failing_check_names(verdict: dict[str, object]) -> list[str]:
    """Names of the checks a verdict reports as failed (grader verdict JSON)."""
    checks = verdict.get("checks")
    if not isinstance(checks, list):
        return []
    names = []
    for check in checks:
        if isinstance(check, dict) and not check.get("passed", False):
            names.append(str(check.get("name", "?")))
    return names


PAGE_SIZE = 50  # learners per page of the class table
FAILED_SAMPLE = 500  # the latest failed attempts whose failing checks are counted


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    size: int
    total: int  # learners in the course

    @property
    def count(self) -> int:
        return max((self.total + self.size - 1) // self.size, 1)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def _course_learner_ids(course_id: str) -> Any:
    """Ids of the users with an event or an attempt in the course (a subquery)."""
    with_events = select(ProgressEvent.user_id).where(ProgressEvent.course_id == course_id)
    with_attempts = select(Attempt.user_id).where(Attempt.course_id == course_id)
    return union(with_events, with_attempts).subquery()


def learner_page(db: Session, course: Course, number: int, size: int = PAGE_SIZE) -> Page:
    """Page ``number`` (clamped to the pages there are) of the course's learners."""
    ids = _course_learner_ids(course.id)
    total = int(db.exec(select(func.count()).select_from(ids)).one())
    page = Page(number=max(number, 1), size=size, total=total)
    return Page(number=min(page.number, page.count), size=size, total=total)


def learner_rows(db: Session, course: Course, page: Page | None = None) -> list[LearnerRow]:
    """Progress per section for the learners of one page (every learner without one)."""
    ids = _course_learner_ids(course.id)
    query = (
        select(User)
        .where(col(User.id).in_(select(ids.c.user_id)))
        .order_by(col(User.email), col(User.id))
    )
    if page is not None:
        query = query.offset(page.offset).limit(page.size)
    return _rows_of(db, course, list(db.exec(query).all()))


LearnerKey = tuple[str, int]
"""A learner's place in the email order: (email, id)."""


def learners_after(
    db: Session, course: Course, after: LearnerKey | None, size: int
) -> list[LearnerRow]:
    """The ``size`` learners of the course just after ``after`` in email order (keyset:
    learners who start the course meanwhile neither repeat nor shift a row)."""
    ids = _course_learner_ids(course.id)
    query = select(User).where(col(User.id).in_(select(ids.c.user_id)))
    if after is not None:
        email, uid = after
        query = query.where(
            or_(col(User.email) > email, and_(col(User.email) == email, col(User.id) > uid))
        )
    query = query.order_by(col(User.email), col(User.id)).limit(size)
    return _rows_of(db, course, list(db.exec(query).all()))


def _rows_of(db: Session, course: Course, users: list[User]) -> list[LearnerRow]:
    user_ids = [u.id for u in users]
    if not users:
        return []
    evs = db.exec(
        select(ProgressEvent).where(
            ProgressEvent.course_id == course.id, col(ProgressEvent.user_id).in_(user_ids)
        )
    ).all()
    by_user: dict[int, list[ProgressEvent]] = {}
    for e in evs:
        by_user.setdefault(e.user_id, []).append(e)
    counts = dict(
        db.exec(
            select(Attempt.user_id, func.count())
            .where(Attempt.course_id == course.id, col(Attempt.user_id).in_(user_ids))
            .group_by(col(Attempt.user_id))
        ).all()
    )
    usage = course_usage(db, course.id, user_ids)
    rows = []
    for user in users:
        assert user.id is not None
        mine = by_user.get(user.id, [])
        last = max((e.created_at for e in mine), default=None)
        rows.append(
            LearnerRow(
                user,
                section_bars(course, Done.of(mine)),
                int(counts.get(user.id, 0)),
                last.strftime("%Y-%m-%d %H:%M") if last else "",
                *usage.get(user.id, (0, 0)),
            )
        )
    return rows


def course_usage(
    db: Session, course_id: str, user_ids: list[int | None]
) -> dict[int, tuple[int, int]]:
    """Model calls and tokens (prompt + completion) per learner for one course, for
    these learners (a page's)."""
    rows = db.exec(
        select(
            ModelUsage.user_id,
            func.count(),
            func.sum(ModelUsage.prompt_tokens + ModelUsage.completion_tokens),
        )
        .where(ModelUsage.course_id == course_id, col(ModelUsage.user_id).in_(user_ids))
        .group_by(col(ModelUsage.user_id))
    ).all()
    return {int(uid): (int(n), int(t or 0)) for uid, n, t in rows}


def exercise_stats(db: Session, course: Course) -> list[ExerciseStats]:
    """Per exercise: learners, passes and attempts (counted by the database), and the
    most common failing checks among the course's latest failed attempts."""
    passed_user = case((col(Attempt.passed), col(Attempt.user_id)), else_=None)
    counts = {
        exercise_id: (int(learners), int(passed), int(attempts))
        for exercise_id, learners, passed, attempts in db.exec(
            select(
                Attempt.exercise_id,
                func.count(distinct(col(Attempt.user_id))),
                func.count(distinct(passed_user)),
                func.count(),
            )
            .where(Attempt.course_id == course.id)
            .group_by(col(Attempt.exercise_id))
        ).all()
    }
    failed = db.exec(
        select(Attempt.exercise_id, Attempt.verdict_json)
        .where(Attempt.course_id == course.id, col(Attempt.passed).is_(False))
        .order_by(col(Attempt.id).desc())
        .limit(FAILED_SAMPLE)
    ).all()
    failing: dict[str, Counter[str]] = {}
    for exercise_id, verdict_json in failed:
        names = failing_check_names(_verdict(verdict_json))
        failing.setdefault(exercise_id, Counter()).update(names)
    stats = []
    for ref in course.outline.exercises:
        learners, passed, attempts = counts.get(ref.exercise.id, (0, 0, 0))
        common = failing.get(ref.exercise.id, Counter()).most_common(3)
        stats.append(
            ExerciseStats(ref.exercise.id, ref.exercise.title, learners, passed, attempts, common)
        )
    return stats


def _verdict(verdict_json: str) -> dict[str, object]:
    try:
        data = json.loads(verdict_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


USAGE_PAGE = 50  # learners per page of the dashboard's model usage


def usage_by_learner(
    db: Session, page: int = 1, size: int = USAGE_PAGE
) -> Slice[tuple[str, int, int, int]]:
    """A page of model calls and prompt and completion tokens per learner, by email."""
    rows = db.exec(
        select(
            User.email,
            func.count(),
            func.sum(ModelUsage.prompt_tokens),
            func.sum(ModelUsage.completion_tokens),
        )
        .join(User, col(User.id) == col(ModelUsage.user_id))
        .group_by(col(User.id), col(User.email))
        .order_by(col(User.email), col(User.id))
        .offset(offset_of(page, size))
        .limit(size + 1)
    ).all()
    found = [(email, int(n), int(p or 0), int(c or 0)) for email, n, p, c in rows]
    return Slice.of(found, page, size)


EXPORT_CHUNK = 200  # learners per database read of the CSV download


def progress_csv_chunk(
    db: Session, course: Course, after: LearnerKey | None, size: int = EXPORT_CHUNK
) -> tuple[str, LearnerKey | None]:
    """The progress CSV's lines for the ``size`` learners after ``after`` (the header
    first when ``after`` is None) and the key to continue from (None: the end)."""
    out = io.StringIO()
    writer = csv.writer(out)
    if after is None:
        writer.writerow(
            [
                "email",
                "role",
                *(f"section {s.number} %" for s in course.outline.sections),
                "attempts",
                "last activity",
                "model calls",
                "model tokens",
            ]
        )
    rows = learners_after(db, course, after, size)
    for row in rows:
        writer.writerow(
            [
                safe_cell(row.user.email),
                row.user.role,
                *(b.percent for b in row.bars),
                row.attempts,
                row.last_seen,
                row.model_calls,
                row.model_tokens,
            ]
        )
    last = rows[-1].user if len(rows) == size else None
    return out.getvalue(), (last.email, last.id or 0) if last is not None else None


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in learner-controlled cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
