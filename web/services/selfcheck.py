"""Answer a self-check: the ticked rubric items (valid indexes only) and what the learner
wrote (a file the self-check asks for, bounded), stored as an attempt in one
transaction; complete when every item is ticked."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from curriculum import Course
from curriculum.model import SelfCheckExercise
from curriculum.outline import ExerciseRef
from exercises.quiz import grade_self_check
from web.context import AppContext
from web.models import Attempt
from web.services.recording import admit_and_record
from web.services.refusals import BadInput
from web.services.transaction import in_transaction

MAX_ANSWER_CHARS = 20_000  # what the learner writes for a self-check (a workflow file, a plan)


async def answer_self_check(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    ref: ExerciseRef,
    ticked: Sequence[int],
    answer: str = "",
) -> list[Attempt]:
    """Store the rubric as ticked and the learner's written answer (the attempt's
    submission); the learner's attempts, newest (this one) first."""
    exercise = ref.exercise
    if not isinstance(exercise, SelfCheckExercise):
        raise BadInput("This exercise is not a self-check.")
    if len(answer) > MAX_ANSWER_CHARS:
        raise BadInput(f"Your answer is longer than {MAX_ANSWER_CHARS:,} characters.")
    result = grade_self_check(exercise, ticked, committed=True)

    def store(db: Session) -> list[Attempt]:
        return admit_and_record(
            db,
            per_minute=app.settings.attempts_per_minute,
            user_id=user_id,
            course=course,
            ref=ref,
            kind="self-check",
            passed=result.complete,
            submission=answer.replace("\r\n", "\n"),
            verdict=result.model_dump(),
        )

    return await in_transaction(app.db_engine, store)
