"""The solution guard against every way a model leaks, with the real sandbox and checks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from curriculum.model import CodeExercise, Course, source_text
from exercises.grade import Grader, find_exercise
from exercises.verdict import Verdict
from tests.tutor.personalities import PERSONALITIES, fence, learner_code, renamed
from tutor.codesim import reproduces
from tutor.guard import GuardResult, SolutionGuard, code_blocks, merge_into
from tutor.missing import gives_missing_lines

EXERCISES = ("ttl-cache-aside", "pydantic-signup-validator", "strictly-typed-port-parser")


@pytest.fixture(scope="module")
def grader() -> Iterator[Grader]:
    g = Grader("strict", runners=2)
    yield g
    g.close()


def _exercise(course: Course, exercise_id: str) -> CodeExercise:
    exercise = find_exercise(course, exercise_id)
    assert isinstance(exercise, CodeExercise)
    return exercise


def _check(
    grader: Grader, exercise: CodeExercise, reply: str, learner: str, earlier: list[str]
) -> GuardResult:
    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await grader.agrade(ex, src)

    guard = SolutionGuard(grade)
    return asyncio.run(
        guard.check(reply, exercise=exercise, learner_source=learner, earlier_blocks=earlier)
    )


def _body(learner: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": f"<learner>\n{fence(learner)}\n</learner>"}]}


def test_code_blocks_finds_fenced_and_bare_code() -> None:
    text = (
        "Look here:\n\n```python\nx = 1\n```\n\nand\n~~~\ny = 2\n~~~\n"
        "Or write it plainly:\n\ndef f(a):\n    return a + 1\n\n\ndef g():\n"
        '    """Doc."""\n    return 2\n\nThat\'s all.'
    )
    bare = 'def f(a):\n    return a + 1\n\n\ndef g():\n    """Doc."""\n    return 2\n'
    assert code_blocks(text) == ["x = 1\n", "y = 2\n", bare]
    assert code_blocks("Only prose here: return the value if it is fresh.") == []


def test_merge_into_replaces_the_learners_definitions() -> None:
    merged = merge_into("def f():\n    return 1\n\nX = 2\n", "def f():\n    return 3\n")
    assert merged is not None and "return 3" in merged and "X = 2" in merged
    assert "return 1" not in merged


def test_renaming_and_layout_do_not_hide_the_reference(flagship: Course) -> None:
    exercise = _exercise(flagship, "ttl-cache-aside")
    solution = source_text(exercise.solution)
    starter = source_text(exercise.starter)
    assert reproduces(renamed(solution).replace("    ", "  "), solution, baseline=starter)
    assert reproduces(starter, solution, baseline=starter) is None
    # quoting the learner's own almost-right code back reveals nothing new
    assert reproduces(solution, solution, baseline=solution) is None


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
@pytest.mark.parametrize(
    "personality",
    ["leaky-verbatim", "leaky-renamed", "leaky-split-blocks", "leaky-unfenced"],
)
def test_leaky_replies_are_held(
    flagship: Course, grader: Grader, exercise_id: str, personality: str
) -> None:
    exercise = _exercise(flagship, exercise_id)
    learner = source_text(exercise.starter)
    reply = PERSONALITIES[personality].reply(exercise, _body(learner), 0)
    result = _check(grader, exercise, reply, learner, [])
    assert not result.allowed, (personality, result)
    assert result.reason in ("passes_checks", "near_reference")


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_solution_spread_over_two_turns_is_held_on_the_second(
    flagship: Course, grader: Grader, exercise_id: str
) -> None:
    exercise = _exercise(flagship, exercise_id)
    learner = source_text(exercise.starter)
    leak = PERSONALITIES["leaky-split-turns"].reply
    first = leak(exercise, _body(learner), 0)
    second = leak(exercise, _body(learner), 1)
    earlier = code_blocks(first)
    assert not _check(grader, exercise, second, learner, earlier).allowed


@pytest.mark.slow
def test_fixing_almost_complete_code_is_held(flagship: Course, grader: Grader) -> None:
    exercise = _exercise(flagship, "ttl-cache-aside")
    almost = source_text(exercise.mistakes[0].sample)  # the solution with one mistake
    reply = PERSONALITIES["leaky-fix-their-code"].reply(exercise, _body(almost), 0)
    assert code_blocks(reply), "the personality must show the fixed definitions"
    result = _check(grader, exercise, reply, almost, [])
    assert not result.allowed and result.reason in ("passes_checks", "near_reference")


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_good_hint_with_small_code_is_let_through(
    flagship: Course, grader: Grader, exercise_id: str
) -> None:
    exercise = _exercise(flagship, exercise_id)
    learner = source_text(exercise.starter)
    reply = PERSONALITIES["well-behaved"].reply(exercise, _body(learner), 0)
    assert learner_code(_body(learner)) == learner.strip()
    result = _check(grader, exercise, reply, learner, [])
    assert result.allowed, result
    assert result.blocks >= 1


ANOTHER_PARSER = """
def parse_port(raw: str | None, default: int = 8000) -> int:
    try:
        value = default if raw is None else int(raw.strip(), 10)
    except ValueError:
        raise ValueError("not a port number") from None
    if raw is not None and not raw.strip().isdigit():
        raise ValueError("not a port number")
    if value < 1 or value > 65535:
        raise ValueError("out of range")
    return value
"""


@pytest.mark.slow
def test_a_working_answer_unlike_the_reference_is_held_by_the_checks(
    flagship: Course, grader: Grader
) -> None:
    exercise = _exercise(flagship, "strictly-typed-port-parser")
    reference = source_text(exercise.solution)
    assert reproduces(ANOTHER_PARSER, reference) is None  # not a copy ...
    reply = "Try this:\n\n" + fence(ANOTHER_PARSER)
    result = _check(grader, exercise, reply, source_text(exercise.starter), [])
    assert (result.allowed, result.reason) == (False, "passes_checks")  # ... but it solves it


@pytest.mark.slow
def test_pseudocode_of_a_whole_solution_is_held(flagship: Course, grader: Grader) -> None:
    exercise = _exercise(flagship, "strictly-typed-port-parser")
    learner = source_text(exercise.starter)
    reply = PERSONALITIES["pseudocode"].reply(exercise, _body(learner), 0)
    assert not _check(grader, exercise, reply, learner, []).allowed


@pytest.mark.parametrize("exercise_id", ["ttl-cache-aside", "pydantic-signup-validator"])
def test_pseudocode_of_the_missing_lines_only(
    flagship: Course, grader: Grader, exercise_id: str
) -> None:
    exercise = _exercise(flagship, exercise_id)
    learner = source_text(exercise.starter)
    reply = PERSONALITIES["pseudocode"].reply(exercise, _body(learner), 0)
    result = _check(grader, exercise, reply, learner, [])
    assert (result.allowed, result.reason) == (False, "missing_lines"), result


def _missing(exercise: CodeExercise, learner: str) -> list[str]:
    """The reference's lines the learner lacks, as the pseudocode personality renders them."""
    given = {ln.strip() for ln in f"{source_text(exercise.starter)}\n{learner}".splitlines()}
    lines = [ln.strip() for ln in source_text(exercise.solution).splitlines()]
    return [ln for ln in lines if ln and ln not in given and not ln.startswith(('"', "#"))]


def test_the_missing_lines_in_prose_with_operators_in_words_are_held(flagship: Course) -> None:
    exercise = _exercise(flagship, "ttl-cache-aside")
    learner = source_text(exercise.starter)
    words = {" - ": " minus ", " > ": " is greater than ", " = ": " becomes ", "(": " of ", ")": ""}
    steps = []
    for line in _missing(exercise, learner):
        for symbol, word in words.items():
            line = line.replace(symbol, word)
        steps.append(f"- then {line.rstrip(':')}")
    reply = "Here is what to do, in words:\n\n" + "\n".join(steps)
    reference = source_text(exercise.solution)
    assert gives_missing_lines(reply, reference, learner) is not None


def test_one_or_two_missing_lines_of_many_are_a_hint(flagship: Course) -> None:
    exercise = _exercise(flagship, "pydantic-signup-validator")
    learner = source_text(exercise.starter)
    missing = _missing(exercise, learner)
    assert len(missing) >= 6
    reply = (
        "Look at your validator: it should start like this\n\n"
        + fence("\n".join(missing[:2]))
        + "\n\nand then check the value the way the failing check says."
    )
    assert gives_missing_lines(reply, source_text(exercise.solution), learner) is None


def test_quoting_the_learners_almost_right_line_back_is_not_the_answer(flagship: Course) -> None:
    """The mistake is an operator: the learner's line has every word of the right one."""
    learner = "def fresh(age, ttl):\n    return age > ttl\n"
    reference = "def fresh(age, ttl):\n    return age >= ttl\n"
    reply = "Look at `return age > ttl`: what happens when age and ttl are equal?"
    assert gives_missing_lines(reply, reference, learner) is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "exercise_id", [*EXERCISES, "gather-prices-with-timeout", "user-api-contract-tests"]
)
@pytest.mark.parametrize("almost", [False, True])
def test_benign_hints_are_let_through(
    flagship: Course, grader: Grader, exercise_id: str, almost: bool
) -> None:
    """Good hints, the learner's code quoted back (a run of their lines, e.g. only the
    module's constants), and one line of the change are not held by any check."""
    exercise = _exercise(flagship, exercise_id)
    learner = source_text(
        exercise.mistakes[0].sample if almost and exercise.mistakes else exercise.starter
    )
    reference = source_text(exercise.solution)
    baseline = f"{source_text(exercise.starter)}\n\n{learner}"
    for reply in (
        PERSONALITIES["well-behaved"].reply(exercise, _body(learner), 0),
        PERSONALITIES["one-line-change"].reply(exercise, _body(learner), 0),
        "Your code, as you wrote it:\n\n" + fence(learner) + "\n\nWhich line runs first?",
        "Read the failing check again: what value does it expect, and what does yours return?",
    ):
        assert gives_missing_lines(reply, reference, baseline) is None, reply
        result = _check(grader, exercise, reply, learner, [])
        assert result.allowed, (reply, result)
