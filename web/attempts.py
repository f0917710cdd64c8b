"""Attempts: every one kept with its verdict; counts for hints and the solution."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, func, select

from web.models import Attempt, AttemptKind


def save_attempt(
    db: Session,
    *,
    user_id: int,
    course_id: str,
    exercise_id: str,
    kind: AttemptKind,
    passed: bool,
    submission: str,
    verdict: dict[str, Any],
) -> Attempt:
    """Store one attempt in the caller's transaction (flushed: it has its id)."""
    attempt = Attempt(
        user_id=user_id,
        course_id=course_id,
        exercise_id=exercise_id,
        kind=kind,
        passed=passed,
        submission=submission,
        verdict_json=json.dumps(verdict, default=str),
        score=score_of(verdict, passed=passed),
    )
    db.add(attempt)
    db.flush()
    return attempt


def score_of(verdict: dict[str, Any], *, passed: bool) -> int:
    """The percent an attempt got right: of its checks (code), of its questions (quiz),
    else all or nothing (self-check, a check that could not run)."""
    checks = verdict.get("checks")
    if isinstance(checks, list) and checks:
        good = sum(1 for c in checks if isinstance(c, dict) and c.get("passed") is True)
        return round(100 * good / len(checks))
    score, total = verdict.get("score"), verdict.get("total")
    if isinstance(score, int) and isinstance(total, int) and total > 0:
        return round(100 * score / total)
    return 100 if passed else 0


def attempt_count(db: Session, *, user_id: int, course_id: str, exercise_id: str) -> int:
    query = (
        select(func.count())
        .select_from(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.course_id == course_id,
            Attempt.exercise_id == exercise_id,
        )
    )
    return int(db.exec(query).one())


def attempts_for(
    db: Session, user_id: int, course_id: str, exercise_id: str | None = None
) -> list[Attempt]:
    query = select(Attempt).where(Attempt.user_id == user_id, Attempt.course_id == course_id)
    if exercise_id is not None:
        query = query.where(Attempt.exercise_id == exercise_id)
    return list(db.exec(query.order_by(col(Attempt.id).desc())).all())


def verdict_of(attempt: Attempt) -> dict[str, Any]:
    try:
        data = json.loads(attempt.verdict_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
