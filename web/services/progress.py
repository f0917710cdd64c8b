"""Record progress: a point or exercise opened, a point completed (with the section and
course completions it finishes), an exercise skipped, the resume position; each call one
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session

from curriculum import Course
from web.attempts import attempts_for
from web.context import AppContext
from web.drafts import draft_of
from web.models import Attempt
from web.progress import record, set_position, update_completion, visit
from web.services.transaction import in_transaction, reading

PointEvent = Literal["opened", "completed"]


@dataclass(frozen=True)
class Opened:
    """The learner's attempts at an exercise (newest first) and their draft, if any."""

    attempts: list[Attempt]
    draft: str | None


async def open_exercise(
    *, app: AppContext, user_id: int, course_id: str, exercise_id: str
) -> Opened:
    """Record that the learner opened the exercise; their attempts at it and draft."""

    def work(db: Session) -> Opened:
        record(
            db,
            user_id=user_id,
            course_id=course_id,
            kind="opened",
            target_kind="exercise",
            target_id=exercise_id,
        )
        draft = draft_of(db, user_id=user_id, course_id=course_id, exercise_id=exercise_id)
        return Opened(attempts_for(db, user_id, course_id, exercise_id), draft)

    return await in_transaction(app.db_engine, work)


async def skip_exercise(*, app: AppContext, user_id: int, course_id: str, exercise_id: str) -> None:
    """The learner skips the exercise for now: recorded (once), shown as open until passed."""

    def work(db: Session) -> None:
        record(
            db,
            user_id=user_id,
            course_id=course_id,
            kind="skipped",
            target_kind="exercise",
            target_id=exercise_id,
        )

    await in_transaction(app.db_engine, work)


async def visit_point(*, app: AppContext, user_id: int, course_id: str, point_id: str) -> None:
    """The learner opened a point: recorded once, and it becomes their resume position."""

    def work(db: Session) -> None:
        visit(db, user_id=user_id, course_id=course_id, point_id=point_id)

    await in_transaction(app.db_engine, work)


async def record_point(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    point_id: str,
    kind: PointEvent,
    move_to: str | None = None,
) -> None:
    """Record the point opened or completed (once); a completion may finish its section
    and the course. ``move_to`` makes another point the resume position."""

    def work(db: Session) -> None:
        record(
            db,
            user_id=user_id,
            course_id=course.id,
            kind=kind,
            target_kind="point",
            target_id=point_id,
        )
        if kind == "completed":
            update_completion(db, user_id=user_id, course=course)
        if move_to is not None:
            set_position(db, user_id=user_id, course_id=course.id, point_id=move_to)

    await in_transaction(app.db_engine, work)


async def attempts_at(
    *, app: AppContext, user_id: int, course_id: str, exercise_id: str | None = None
) -> list[Attempt]:
    """The learner's attempts in a course (or at one exercise), newest first."""

    def work(db: Session) -> list[Attempt]:
        return attempts_for(db, user_id, course_id, exercise_id)

    return await reading(app.db_engine, work)
