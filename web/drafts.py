"""Drafts: a learner's unsubmitted code for an exercise, one row each, overwritten as
they type. Steps of an operation in ``web.services``: they never commit."""

from __future__ import annotations

from sqlmodel import Session, delete, select

from web.db import upsert
from web.models import ExerciseDraft, utcnow


def save_draft(db: Session, *, user_id: int, course_id: str, exercise_id: str, source: str) -> None:
    keys = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    upsert(db, ExerciseDraft, keys=keys, values={"source": source, "updated_at": utcnow()})


def draft_of(db: Session, *, user_id: int, course_id: str, exercise_id: str) -> str | None:
    """The learner's draft for this exercise, if they have one."""
    found: str | None = db.exec(
        select(ExerciseDraft.source).where(
            ExerciseDraft.user_id == user_id,
            ExerciseDraft.course_id == course_id,
            ExerciseDraft.exercise_id == exercise_id,
        )
    ).first()
    return found


def drop_draft(db: Session, *, user_id: int, course_id: str, exercise_id: str) -> None:
    """Forget the draft (the code was submitted: the attempt keeps it)."""
    db.exec(
        delete(ExerciseDraft).where(
            ExerciseDraft.user_id == user_id,  # type: ignore[arg-type]
            ExerciseDraft.course_id == course_id,  # type: ignore[arg-type]
            ExerciseDraft.exercise_id == exercise_id,  # type: ignore[arg-type]
        )
    )
