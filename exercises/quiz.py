"""Grading quizzes and self-checks: pure functions of the exercise and the learner's answers.

Answers: a single-choice question takes the chosen option's index, a multiple-choice
one a list of indexes, a short-answer one a string.  Every option's explanation is
returned after answering, with whether it was correct and whether it was chosen.
"""

from __future__ import annotations

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
    correct: bool
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


class QuizVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise_id: str
    passed: bool
    score: int
    total: int
    questions: list[QuestionResult]


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
