"""Answer a quiz: the answers kept to the quiz's own questions and the editor's sizes,
graded, and stored as an attempt in one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlmodel import Session

from curriculum import Course
from curriculum.model import QuizExercise, QuizQuestion
from curriculum.outline import ExerciseRef
from exercises.quiz import Answer, grade_quiz
from web.context import AppContext
from web.models import Attempt
from web.services.recording import admit_and_record
from web.services.refusals import BadInput
from web.services.transaction import in_transaction

MAX_SHORT_ANSWER = 1000  # characters of a short answer (the page's input limit)


def _answer(question: QuizQuestion, given: object) -> Answer:
    """The answer as stored: an option index, a list of them, or a short text; else None."""
    options = range(len(question.options))
    if question.type == "single":
        return given if type(given) is int and given in options else None
    if question.type == "multiple":
        if not isinstance(given, list):
            return None
        return sorted({i for i in given if type(i) is int and i in options})
    return given[:MAX_SHORT_ANSWER] if isinstance(given, str) else None


def quiz_answers(exercise: QuizExercise, given: Mapping[str, object]) -> dict[str, Answer]:
    """One entry per question of the quiz (unknown ids dropped, each answer bounded)."""
    return {q.id: _answer(q, given.get(q.id)) for q in exercise.questions}


async def answer_quiz(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    ref: ExerciseRef,
    given: Mapping[str, object],
) -> list[Attempt]:
    """Grade and store; the learner's attempts at the quiz, newest (this one) first."""
    exercise = ref.exercise
    if not isinstance(exercise, QuizExercise):
        raise BadInput("This exercise is not a quiz.")
    answers = quiz_answers(exercise, given)
    verdict = grade_quiz(exercise, answers)

    def store(db: Session) -> list[Attempt]:
        return admit_and_record(
            db,
            per_minute=app.settings.attempts_per_minute,
            user_id=user_id,
            course=course,
            ref=ref,
            kind="quiz",
            passed=verdict.passed,
            submission=json.dumps(answers),
            verdict=verdict.model_dump(),
        )

    return await in_transaction(app.db_engine, store)
