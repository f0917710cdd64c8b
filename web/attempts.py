"""Attempts: every one kept with its verdict; counts for hints and the solution."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from web.models import Attempt


def save_attempt(
    db: Session,
    user_id: int,
    course_id: str,
    exercise_id: str,
    kind: str,
    passed: bool,
    submission: str,
    verdict: dict[str, Any],
) -> Attempt:
    """Store one attempt; committed (durable) before returning."""
    attempt = Attempt(
        user_id=user_id,
        course_id=course_id,
        exercise_id=exercise_id,
        kind=kind,
        passed=passed,
        submission=submission,
        verdict_json=json.dumps(verdict, default=str),
    )
    db.add(attempt)
    db.commit()
    db.refresh(attempt)
    return attempt


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
