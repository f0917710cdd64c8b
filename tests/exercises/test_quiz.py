"""Quizzes and self-checks are graded by pure functions."""

from __future__ import annotations

from curriculum import Course
from curriculum.model import QuizExercise, QuizQuestion, SelfCheckExercise
from exercises.grade import find_exercise
from exercises.prove import question_problem
from exercises.quiz import (
    answers_due,
    grade_quiz,
    grade_self_check,
    normalise,
    option_order,
    withheld,
)


def _quiz(course: Course) -> QuizExercise:
    quiz = find_exercise(course, "basics-quiz")
    assert isinstance(quiz, QuizExercise)
    return quiz


def test_all_correct_answers_pass(mini: Course) -> None:
    verdict = grade_quiz(_quiz(mini), {"returns": 0, "truthy": [1, 0], "keyword": "  DEF. "})
    assert verdict.passed
    assert (verdict.score, verdict.total) == (3, 3)


def test_wrong_and_missing_answers_with_explanations(mini: Course) -> None:
    verdict = grade_quiz(_quiz(mini), {"returns": 1, "truthy": [0]})
    assert not verdict.passed
    assert verdict.score == 0
    returns = verdict.questions[0]
    assert returns.options[1].chosen and not returns.options[1].correct
    assert returns.options[1].explanation == "Python does not default to zero."
    assert returns.options[0].explanation == "Falling off the end returns `None`."
    assert not verdict.questions[2].answered


def test_multiple_choice_needs_exactly_the_correct_set(mini: Course) -> None:
    verdict = grade_quiz(_quiz(mini), {"truthy": [0, 1, 2]})
    assert not verdict.questions[1].correct


def test_short_answers_normalise_and_match_patterns(mini: Course) -> None:
    quiz = _quiz(mini)
    for answer, ok in [("def", True), ("Define!", True), ("  d e f", False), ("lambda", False)]:
        verdict = grade_quiz(quiz, {"keyword": answer})
        assert verdict.questions[2].correct is ok, answer


def test_normalise_drops_case_punctuation_and_extra_space() -> None:
    assert normalise("  Hello,   WORLD!  ") == "hello world"
    assert normalise("x" * 5000) == "x" * 1000


def test_bad_answer_types_are_wrong_not_errors(mini: Course) -> None:
    verdict = grade_quiz(_quiz(mini), {"returns": "0", "truthy": "01", "keyword": 3})
    assert verdict.score == 0


def test_question_problems_are_found() -> None:
    two = QuizQuestion.model_validate(
        {
            "id": "q",
            "prompt": "p",
            "type": "single",
            "options": [{"text": "a", "correct": True}, {"text": "b", "correct": True}],
        }
    )
    none = QuizQuestion.model_validate(
        {"id": "q", "prompt": "p", "type": "multiple", "options": [{"text": "a"}]}
    )
    empty = QuizQuestion.model_validate({"id": "q", "prompt": "p", "type": "short"})
    bad = QuizQuestion.model_validate(
        {"id": "q", "prompt": "p", "type": "short", "patterns": ["(unclosed"]}
    )
    assert "exactly one" in question_problem(two)
    assert "at least one" in question_problem(none)
    assert "answers or patterns" in question_problem(empty)
    assert "not a valid regular expression" in question_problem(bad)


def test_self_check_reveals_the_model_answer_only_once_committed(mini: Course) -> None:
    exercise = find_exercise(mini, "deploy-self-check")
    assert isinstance(exercise, SelfCheckExercise)
    before = grade_self_check(exercise, [0], committed=False)
    assert before.model_answer is None
    assert not before.complete
    after = grade_self_check(exercise, [1, 0, 7, -1], committed=True)
    assert after.ticked == [0, 1]
    assert after.complete
    assert after.model_answer == exercise.model_answer


def test_withheld_keeps_only_what_the_learner_said_and_which_questions_are_right(
    mini: Course,
) -> None:
    verdict = grade_quiz(_quiz(mini), {"returns": 1, "truthy": [0, 1], "keyword": "lambda"})
    shown = withheld(verdict)
    assert not shown.revealed and verdict.revealed
    assert [q.correct for q in shown.questions] == [q.correct for q in verdict.questions]
    for q in shown.questions:
        assert q.explanation == "" and q.accepted == []
        assert all(o.chosen and o.correct is None and o.explanation == "" for o in q.options)
    assert [o.index for o in shown.questions[0].options] == [1]
    assert shown.questions[2].given == "lambda"  # a short answer is echoed
    assert (shown.score, shown.total, shown.passed) == (verdict.score, 3, False)


def test_answers_are_due_after_a_pass_or_n_tries() -> None:
    assert not answers_due(passed=False, attempts=2, after=3)
    assert answers_due(passed=False, attempts=3, after=3)
    assert answers_due(passed=True, attempts=1, after=3)


def test_option_order_is_a_stable_shuffle_per_seed() -> None:
    orders = {tuple(option_order(6, f"7:quiz:{attempt}:q")) for attempt in range(1, 6)}
    assert len(orders) > 1
    assert option_order(6, "7:quiz:1:q") == option_order(6, "7:quiz:1:q")
    assert all(sorted(o) == list(range(6)) for o in orders)
