"""Submit code: admitted (rate limit), graded behind the grading gate with no database
connection held, then recorded in one transaction. Counted once in ``CHECKS``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from anyio import CancelScope
from sqlmodel import Session

from curriculum import Course
from curriculum.model import CodeExercise
from curriculum.outline import ExerciseRef
from exercises.verdict import Verdict
from web.context import AppContext
from web.drafts import drop_draft
from web.models import Attempt
from web.observe import CHECKS
from web.ratelimit import Quota
from web.services.recording import Admitted, admit_attempt, record_attempt
from web.services.refusals import BadInput, GradingFailed, Refused
from web.services.transaction import in_transaction

MAX_SOURCE_CHARS = 200_000  # the editor's limit, and every stored answer's


@dataclass(frozen=True)
class CodeSubmitted:
    """The verdict, and the learner's attempts at the exercise, newest (this one) first."""

    verdict: Verdict
    attempts: list[Attempt]


def clean_source(source: str) -> str:
    """The submission as graded and stored: within the editor's limit, ``\\n`` line ends."""
    if len(source) > MAX_SOURCE_CHARS:
        raise BadInput(f"Send your code in the editor (at most {MAX_SOURCE_CHARS:,} characters).")
    return source.replace("\r\n", "\n")


async def submit_code(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    ref: ExerciseRef,
    source: str,
    kind: Literal["code", "notebook"] = "code",
    deadline: float | None = None,
) -> CodeSubmitted:
    """Grade ``source`` and store the attempt; raises a ``Refused`` when it cannot run, or
    cannot be graded by ``deadline`` (a ``time.monotonic()`` time: ``web.deps.deadline``)."""
    exercise = ref.exercise
    if not isinstance(exercise, CodeExercise):
        raise BadInput("This exercise is not a code exercise.")
    source = clean_source(source)

    def admit(db: Session) -> Admitted:
        return admit_attempt(
            db,
            user_id=user_id,
            course_id=course.id,
            exercise_id=exercise.id,
            per_minute=app.settings.attempts_per_minute,
        )

    try:
        admitted = await in_transaction(app.db_engine, admit)
    except Refused:
        CHECKS.labels("refused").inc()
        raise
    try:
        verdict = await app.grading.grade(
            learner=user_id,
            exercise=exercise,
            source=source,
            attempt=admitted.before + 1,
            deadline=deadline,
        )
    except Refused as refused:  # not graded: no attempt was made after all
        CHECKS.labels("unavailable" if isinstance(refused, GradingFailed) else "refused").inc()
        with CancelScope(shield=True):
            await in_transaction(app.db_engine, partial(Quota.give_back, token=admitted.token))
        raise
    CHECKS.labels("passed" if verdict.passed else "failed").inc()

    def store(db: Session) -> list[Attempt]:
        drop_draft(db, user_id=user_id, course_id=course.id, exercise_id=exercise.id)
        return record_attempt(
            db,
            user_id=user_id,
            course=course,
            ref=ref,
            kind=kind,
            passed=verdict.passed,
            submission=source,
            verdict=verdict.model_dump(),
        )

    return CodeSubmitted(verdict=verdict, attempts=await in_transaction(app.db_engine, store))
