"""The steps every graded attempt shares, inside the operation's transaction:
the rate limit before, and after the verdict: the attempt, progress, the engine's note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from curriculum import Course
from curriculum.outline import ExerciseRef
from web.attempts import attempt_count, attempts_for, save_attempt
from web.models import Attempt, AttemptKind
from web.progress import record, update_completion
from web.ratelimit import MINUTE, Quota
from web.services.refusals import TooManyAttempts
from web.tutoring import note_exercise


def attempt_quota(per_minute: int) -> Quota:
    """At most ``per_minute`` attempts per learner in any minute, of every kind together."""
    return Quota(
        kind="attempt",
        limit=per_minute,
        ttl=MINUTE,
        refuse=lambda wait: TooManyAttempts(per_minute=per_minute, retry_after=wait),
    )


@dataclass(frozen=True)
class Admitted:
    """An attempt let through the rate limit: its token (given back if it is not made
    after all) and how many attempts the learner made at the exercise before."""

    token: int
    before: int


def admit_attempt(
    db: Session, *, user_id: int, course_id: str, exercise_id: str, per_minute: int
) -> Admitted:
    """Count the attempt against the learner's ``per_minute`` (refused beyond it), first
    in the transaction (see ``web.ratelimit.serialise``)."""
    token = attempt_quota(per_minute).take(db, user_id)
    before = attempt_count(db, user_id=user_id, course_id=course_id, exercise_id=exercise_id)
    return Admitted(token=token, before=before)


def record_attempt(
    db: Session,
    *,
    user_id: int,
    course: Course,
    ref: ExerciseRef,
    kind: AttemptKind,
    passed: bool,
    submission: str,
    verdict: dict[str, Any],
) -> list[Attempt]:
    """Store the attempt, the exercise's "passed" event and completions, and tell the
    engine; the learner's attempts at this exercise, newest first."""
    exercise_id = ref.exercise.id
    save_attempt(
        db,
        user_id=user_id,
        course_id=course.id,
        exercise_id=exercise_id,
        kind=kind,
        passed=passed,
        submission=submission,
        verdict=verdict,
    )
    if passed:
        record(
            db,
            user_id=user_id,
            course_id=course.id,
            kind="passed",
            target_kind="exercise",
            target_id=exercise_id,
        )
        update_completion(db, user_id=user_id, course=course)
    topic = ref.topic.id if ref.topic is not None else None
    note_exercise(
        db, user_id=user_id, course=course, exercise_id=exercise_id, passed=passed, topic_id=topic
    )
    return attempts_for(db, user_id, course.id, exercise_id)


def admit_and_record(
    db: Session,
    *,
    per_minute: int,
    user_id: int,
    course: Course,
    ref: ExerciseRef,
    kind: AttemptKind,
    passed: bool,
    submission: str,
    verdict: dict[str, Any],
) -> list[Attempt]:
    """For answers graded at once (quizzes, self-checks): the rate limit, then the record."""
    admit_attempt(
        db, user_id=user_id, course_id=course.id, exercise_id=ref.exercise.id, per_minute=per_minute
    )
    return record_attempt(
        db,
        user_id=user_id,
        course=course,
        ref=ref,
        kind=kind,
        passed=passed,
        submission=submission,
        verdict=verdict,
    )
