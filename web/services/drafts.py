"""Save a draft: the learner's unsubmitted code, within the editor's limit and a
saves-per-minute cap (counted in the database: across workers and hosts), stored
(overwriting the last) in the same transaction; and read it back (the exercise page
reads it with the learner's attempts, in ``progress.open_exercise``)."""

from __future__ import annotations

from sqlmodel import Session

from curriculum.model import CodeExercise
from curriculum.outline import ExerciseRef
from web.context import AppContext
from web.drafts import draft_of
from web.drafts import save_draft as store_draft
from web.ratelimit import MINUTE, Quota
from web.services.code import clean_source
from web.services.refusals import BadInput, TooManyDraftSaves
from web.services.transaction import in_transaction, reading


def draft_quota(per_minute: int) -> Quota:
    """At most ``per_minute`` draft saves per learner in any minute."""
    return Quota(
        kind="draft",
        limit=per_minute,
        ttl=MINUTE,
        refuse=lambda wait: TooManyDraftSaves(per_minute=per_minute, retry_after=wait),
    )


async def save_draft(
    *, app: AppContext, user_id: int, course_id: str, ref: ExerciseRef, source: str
) -> None:
    """Keep ``source`` as the learner's draft for this code exercise."""
    if not isinstance(ref.exercise, CodeExercise):
        raise BadInput("Only code exercises keep drafts.")
    source = clean_source(source)
    exercise_id = ref.exercise.id

    def work(db: Session) -> None:
        app.drafts.take(db, user_id)
        store_draft(
            db, user_id=user_id, course_id=course_id, exercise_id=exercise_id, source=source
        )

    await in_transaction(app.db_engine, work)


async def draft_at(
    *, app: AppContext, user_id: int, course_id: str, exercise_id: str
) -> str | None:
    """The learner's draft for this exercise, if they have one."""

    def work(db: Session) -> str | None:
        return draft_of(db, user_id=user_id, course_id=course_id, exercise_id=exercise_id)

    return await reading(app.db_engine, work)
