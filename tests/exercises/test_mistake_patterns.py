"""Common-mistake patterns cannot stall the server, whatever the learner submits.

They run in the server's process (after the sandbox has graded), so they run on RE2:
time linear in the submission. With ``re``, ``ttl-cache-aside``'s pattern took 21 s
on one line of 40,000 spaces and 46 s on 60,000 (issue 11).
"""

from __future__ import annotations

import pytest

from curriculum import resolve_course
from curriculum.model import CodeExercise
from exercises.grade import Grader, find_code_exercise
from exercises.mistakes import detect_mistakes
from exercises.patterns import fullmatch_ignoring_case, pattern_problem, search
from exercises.verdict import CheckResult

SPACES = " " * 60_000


def _ttl_cache_aside() -> CodeExercise:
    exercise = find_code_exercise(resolve_course("python-backend"), "ttl-cache-aside")
    assert any(m.pattern and "time" in m.pattern for m in exercise.mistakes)
    return exercise


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("source", [SPACES, (SPACES + "\n") * 4], ids=["one-line", "four-lines"])
def test_a_line_of_spaces_is_graded_promptly(grader: Grader, source: str) -> None:
    exercise = _ttl_cache_aside()
    verdict = grader.grade(exercise, source)
    assert not verdict.passed
    assert verdict.checks and all(not c.passed for c in verdict.checks)
    timed = [m.message for m in exercise.mistakes if m.pattern and "time" in m.pattern]
    assert not set(timed) & set(verdict.mistakes)


@pytest.mark.timeout(20)
def test_mistake_detection_is_linear_on_hostile_text() -> None:
    exercise = _ttl_cache_aside()
    failed = [CheckResult(name=m.failing_check or "x", passed=False) for m in exercise.mistakes]
    for text in (SPACES, "\t" * 250_000, ("    x" * 50_000) + "\n", "a" * 250_000):
        detect_mistakes(exercise, text, failed)


def test_the_pattern_still_finds_the_mistake() -> None:
    exercise = _ttl_cache_aside()
    mistake = next(m for m in exercise.mistakes if m.pattern and "time" in m.pattern)
    assert mistake.pattern is not None
    assert search(mistake.pattern, "def get(key):\n    now = time.time()\n")
    assert not search(mistake.pattern, "def get(key):\n    # time.time() is wrong here\n")


def test_patterns_re2_cannot_run_are_refused_and_never_match() -> None:
    for pattern in (r"(?=x)x", r"(?<!a)b", r"(a)\1"):
        assert "not supported by RE2" in pattern_problem(pattern)
        assert not search(pattern, "xab aa")
    assert pattern_problem(r"@app\.post\(") == ""


@pytest.mark.timeout(20)
def test_short_answer_patterns_are_linear_and_ignore_case() -> None:
    assert fullmatch_ignoring_case("def(ine)?", "DEFINE")
    assert not fullmatch_ignoring_case("def(ine)?", "undefine")
    assert not fullmatch_ignoring_case("(a+)+$", "a" * 999 + "!")


def test_learner_text_with_a_lone_surrogate_is_matched_not_refused() -> None:
    assert search(r"return a \+ b", "def add(a, b):\n    return a + b  # \udcff\n")
    assert not fullmatch_ignoring_case("def", "d\udcffef")
    assert "not a valid regular expression" in pattern_problem("(unclosed")
