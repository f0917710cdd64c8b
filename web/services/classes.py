"""Class operations the pages and the JSON API share: each in one transaction in a
worker thread; a refusal is a ``Refused`` (400) with the message for the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from web import classes
from web.classes import ClassError
from web.context import AppContext
from web.models import Classroom
from web.services.refusals import BadInput
from web.services.transaction import in_transaction, reading

T = TypeVar("T")


async def _write(app: AppContext, work: Callable[[Session], T]) -> T:
    def guarded(db: Session) -> T:
        try:
            return work(db)
        except ClassError as exc:
            raise BadInput(str(exc)) from None

    return await in_transaction(app.db_engine, guarded)


def _known_courses(app: AppContext, courses: list[str]) -> list[str]:
    unknown = [c for c in courses if app.courses.get(c) is None]
    if unknown:
        raise BadInput(f"No such course: {unknown[0][:80]}.")
    return courses


async def create_class(
    *, app: AppContext, owner_id: int, name: str, courses: list[str]
) -> Classroom:
    """A new class of this instructor's with these courses and a fresh join code."""
    known = _known_courses(app, courses)
    return await _write(
        app, lambda db: classes.create_class(db, owner_id=owner_id, name=name, courses=known)
    )


async def set_courses(*, app: AppContext, class_id: int, courses: list[str]) -> None:
    known = _known_courses(app, courses)
    await _write(app, lambda db: classes.set_courses(db, class_id=class_id, courses=known))


async def join_class(*, app: AppContext, user_id: int, code: str) -> Classroom:
    return await _write(app, lambda db: classes.join(db, user_id=user_id, code=code))


async def add_assistant(*, app: AppContext, class_id: int, email: str) -> None:
    await _write(app, lambda db: classes.add_assistant(db, class_id=class_id, email=email))


async def remove_member(*, app: AppContext, class_id: int, user_id: int) -> bool:
    return await _write(
        app, lambda db: classes.remove_member(db, class_id=class_id, user_id=user_id)
    )


async def archive_class(*, app: AppContext, class_id: int, archived: bool) -> None:
    await _write(app, lambda db: classes.set_archived(db, class_id=class_id, archived=archived))


async def set_deadline(
    *,
    app: AppContext,
    class_id: int,
    course_id: str,
    exercise_id: str,
    due_at: datetime | None,
) -> None:
    entry = app.courses.get(course_id)
    course = entry.course if entry is not None else None
    if course is None or course.outline.exercise(exercise_id) is None:
        raise BadInput("No such exercise in this class's courses.")
    await _write(
        app,
        lambda db: classes.set_deadline(
            db, class_id=class_id, course_id=course_id, exercise_id=exercise_id, due_at=due_at
        ),
    )


async def set_visibility(*, app: AppContext, course_id: str, class_only: bool) -> None:
    await _write(
        app, lambda db: classes.set_visibility(db, course_id=course_id, class_only=class_only)
    )


async def exercise_deadline(
    *, app: AppContext, user_id: int, course_id: str, exercise_id: str
) -> datetime | None:
    """The learner's deadline for this exercise (the earliest of their classes')."""
    return await reading(
        app.db_engine,
        lambda db: classes.my_deadline(
            db, user_id=user_id, course_id=course_id, exercise_id=exercise_id
        ),
    )
