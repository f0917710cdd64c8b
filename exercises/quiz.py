"""Grading quizzes and self-checks: pure functions of the exercise and the learner's answers.

Answers: a single-choice question takes the chosen option's index, a multiple-choice
one a list of indexes, a short-answer one a string.  The full verdict has every option's
explanation, with whether it was correct and whether it was chosen; until the answers
are due (a pass, or the course's ``quiz_answers_after`` attempts) the learner sees
:func:`withheld`: which questions are right, and their own choices, nothing more.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from curriculum.model import QuizExercise, QuizQuestion, SelfCheckExercise
from exercises import patterns

MAX_ANSWER = 1000
Answer = int | Sequence[int] | str | None


class OptionFeedback(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    text: str
    correct: bool | None  # None: withheld until the answers are due
    chosen: bool
    explanation: str


class QuestionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    correct: bool
    answered: bool
    explanation: str
    options: list[OptionFeedback]
    accepted: list[str] = []
    given: str = ""  # a short answer as the learner wrote it


class QuizVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise_id: str
    passed: bool
    score: int
    total: int
    questions: list[QuestionResult]
    revealed: bool = True  # False: correct options, accepted answers and explanations withheld


class SelfCheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise_id: str
    committed: bool
    ticked: list[int]
    total: int
    complete: bool
    model_answer: str | None


def normalise(text: str) -> str:
    """Case-folded, punctuation dropped, whitespace collapsed: how short answers compare."""
    text = unicodedata.normalize("NFKC", text[:MAX_ANSWER]).casefold()
    kept = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(kept.split())


def short_answer_correct(question: QuizQuestion, answer: str) -> bool:
    answer = answer[:MAX_ANSWER]
    wanted = normalise(answer)
    if wanted and any(normalise(a) == wanted for a in question.answers):
        return True
    trimmed = " ".join(answer.split())
    return any(
        patterns.fullmatch_ignoring_case(p, trimmed) or patterns.fullmatch_ignoring_case(p, wanted)
        for p in question.patterns
    )


def _chosen(question: QuizQuestion, answer: Answer) -> set[int]:
    if question.type == "single" and type(answer) is int:
        return {answer}
    if question.type == "multiple" and isinstance(answer, Sequence) and not isinstance(answer, str):
        return {a for a in answer if type(a) is int}
    return set()


def grade_question(question: QuizQuestion, answer: Answer) -> QuestionResult:
    chosen = _chosen(question, answer)
    if question.type == "short":
        answered = isinstance(answer, str) and bool(answer.strip())
        correct = answered and isinstance(answer, str) and short_answer_correct(question, answer)
    else:
        answered = bool(chosen)
        right = {i for i, o in enumerate(question.options) if o.correct}
        correct = answered and chosen == right
    options = [
        OptionFeedback(
            index=i, text=o.text, correct=o.correct, chosen=i in chosen, explanation=o.explanation
        )
        for i, o in enumerate(question.options)
    ]
    return QuestionResult(
        id=question.id,
        correct=correct,
        answered=answered,
        explanation=question.explanation,
        options=options,
        accepted=list(question.answers) if question.type == "short" else [],
        given=answer[:MAX_ANSWER] if question.type == "short" and isinstance(answer, str) else "",
    )


def grade_quiz(exercise: QuizExercise, answers: Mapping[str, Answer]) -> QuizVerdict:
    """Grade every question; unanswered questions count as wrong."""
    results = [grade_question(q, answers.get(q.id)) for q in exercise.questions]
    score = sum(r.correct for r in results)
    return QuizVerdict(
        exercise_id=exercise.id,
        passed=score == len(results),
        score=score,
        total=len(results),
        questions=results,
    )


def answers_due(*, passed: bool, attempts: int, after: int) -> bool:
    """Whether a learner may see a quiz's answers: after a pass, or after ``after`` tries."""
    return passed or attempts >= after


def _withheld_question(result: QuestionResult) -> QuestionResult:
    chosen = [
        o.model_copy(update={"correct": None, "explanation": ""})
        for o in result.options
        if o.chosen
    ]
    return result.model_copy(update={"explanation": "", "options": chosen, "accepted": []})


def withheld(verdict: QuizVerdict) -> QuizVerdict:
    """The verdict before the answers are due: which questions are right, and the learner's
    own choices and words; no correct option, accepted answer or explanation."""
    questions = [_withheld_question(q) for q in verdict.questions]
    return verdict.model_copy(update={"questions": questions, "revealed": False})


def option_order(count: int, seed: str) -> list[int]:
    """The options' indexes in a shuffled order that is the same for the same ``seed``
    (a learner's attempt at a question), and differs from one attempt to the next."""
    order = list(range(count))
    random.Random(hashlib.sha256(seed.encode()).digest()).shuffle(order)
    return order


def grade_self_check(
    exercise: SelfCheckExercise, ticked: Sequence[int], committed: bool
) -> SelfCheckResult:
    """The rubric as ticked; the model answer only once the learner has committed."""
    valid = sorted({i for i in ticked if type(i) is int and 0 <= i < len(exercise.rubric)})
    return SelfCheckResult(
        exercise_id=exercise.id,
        committed=committed,
        ticked=valid,
        total=len(exercise.rubric),
        complete=len(valid) == len(exercise.rubric),
        model_answer=exercise.model_answer if committed else None,
    )
