"""Class data for instructors: progress per learner and section, exercise statistics, usage."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from curriculum import Course
from web.attempts import verdict_of
from web.models import Attempt, ModelUsage, ProgressEvent, User
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


def learners(db: Session) -> list[User]:
    return list(db.exec(select(User).order_by(col(User.email))).all())


def learner_rows(db: Session, course: Course) -> list[LearnerRow]:
    evs = db.exec(select(ProgressEvent).where(ProgressEvent.course_id == course.id)).all()
    by_user: dict[int, list[ProgressEvent]] = {}
    for e in evs:
        by_user.setdefault(e.user_id, []).append(e)
    counts = dict(
        db.exec(
            select(Attempt.user_id, func.count())
            .where(Attempt.course_id == course.id)
            .group_by(col(Attempt.user_id))
        ).all()
    )
    usage = course_usage(db, course.id)
    rows = []
    for user in learners(db):
        assert user.id is not None
        mine = by_user.get(user.id, [])
        if not mine and not counts.get(user.id):
            continue
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


def course_usage(db: Session, course_id: str) -> dict[int, tuple[int, int]]:
    """Model calls and tokens (prompt + completion) per learner for one course."""
    rows = db.exec(
        select(
            ModelUsage.user_id,
            func.count(),
            func.sum(ModelUsage.prompt_tokens + ModelUsage.completion_tokens),
        )
        .where(ModelUsage.course_id == course_id)
        .group_by(col(ModelUsage.user_id))
    ).all()
    return {int(uid): (int(n), int(t or 0)) for uid, n, t in rows}


def exercise_stats(db: Session, course: Course) -> list[ExerciseStats]:
    attempts = db.exec(select(Attempt).where(Attempt.course_id == course.id)).all()
    stats = []
    for ref in course.outline.exercises:
        mine = [a for a in attempts if a.exercise_id == ref.exercise.id]
        failing: Counter[str] = Counter()
        for a in mine:
            if not a.passed:
                failing.update(failing_check_names(verdict_of(a)))
        stats.append(
            ExerciseStats(
                ref.exercise.id,
                ref.exercise.title,
                len({a.user_id for a in mine}),
                len({a.user_id for a in mine if a.passed}),
                len(mine),
                failing.most_common(3),
            )
        )
    return stats


def usage_by_learner(db: Session) -> list[tuple[str, int, int, int]]:
    rows = db.exec(
        select(
            User.email,
            func.count(),
            func.sum(ModelUsage.prompt_tokens),
            func.sum(ModelUsage.completion_tokens),
        )
        .join(User, col(User.id) == col(ModelUsage.user_id))
        .group_by(col(User.email))
        .order_by(col(User.email))
    ).all()
    return [(email, int(n), int(p or 0), int(c or 0)) for email, n, p, c in rows]


def progress_csv(db: Session, course: Course) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
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
    for row in learner_rows(db, course):
        writer.writerow(
            [
                _cell(row.user.email),
                row.user.role,
                *(b.percent for b in row.bars),
                row.attempts,
                row.last_seen,
                row.model_calls,
                row.model_tokens,
            ]
        )
    return out.getvalue()


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in learner-controlled cells."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
