"""Answer a quiz: the answers kept to the quiz's own questions and the editor's sizes,
graded, and stored as an attempt in one transaction; and what a learner may see of a
quiz verdict (the answers only once they are due: a pass, or the course's
``quiz_answers_after`` attempts), on the pages and in the JSON API alike."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pydantic import ValidationError
from sqlmodel import Session

from curriculum import Course
from curriculum.model import QuizExercise, QuizQuestion
from curriculum.outline import ExerciseRef
from exercises.quiz import Answer, QuizVerdict, answers_due, grade_quiz, option_order, withheld
from web.attempts import verdict_of
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


def due(course: Course, attempts: list[Attempt]) -> bool:
    """Whether the answers of a quiz are due, given the learner's attempts at it."""
    return answers_due(
        passed=any(a.passed for a in attempts),
        attempts=len(attempts),
        after=course.quiz_answers_after,
    )


def _verdict(attempt: Attempt) -> QuizVerdict | None:
    try:
        return QuizVerdict.model_validate(verdict_of(attempt))
    except ValidationError:
        return None


def shown(course: Course, attempts: list[Attempt]) -> QuizVerdict | None:
    """The latest verdict of a quiz (``attempts`` newest first) as the learner may see it."""
    verdict = _verdict(attempts[0]) if attempts else None
    if verdict is None or due(course, attempts):
        return verdict
    return withheld(verdict)


def shown_json(course: Course, attempt: Attempt, attempts: list[Attempt]) -> str:
    """``attempt``'s verdict JSON as the learner may see it; ``attempts`` are the learner's
    attempts (any exercises of the course): the answers are due once they are for its quiz."""
    if attempt.kind != "quiz":
        return attempt.verdict_json
    verdict = _verdict(attempt)
    if verdict is None:
        return "{}"
    same = [a for a in attempts if a.exercise_id == attempt.exercise_id]
    return (verdict if due(course, same) else withheld(verdict)).model_dump_json()


def option_orders(exercise: QuizExercise, *, user_id: int, attempt: int) -> dict[str, list[int]]:
    """The order the options of each question are shown in for this learner's ``attempt``
    (from 1): shuffled, the same on every reload of that attempt."""
    return {
        q.id: option_order(len(q.options), f"{user_id}:{exercise.id}:{attempt}:{q.id}")
        for q in exercise.questions
    }
