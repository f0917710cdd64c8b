"""A grading deadline: the grader stops a job's checks when it comes, in every mode.

Real runners, real children. The deadlines are generous for the check that must run
(a busy machine may be slow); what is asserted is the shape of the answer: a failed
verdict that names the checks it did not run, or OutOfTime when no verdict is known.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader, OutOfTime

CHECKS = 12
ENDLESS_CALL = "def work(n):\n    while True:\n        pass\n"
SLOW_BUT_RIGHT = "import time\n\ndef work(n):\n    time.sleep(0.5)\n    return n\n"
RIGHT = "def work(n):\n    return n\n"


@pytest.fixture(scope="module")
def grader() -> Iterator[Grader]:
    with Grader("strict", runners=1) as one:
        yield one


def _checks() -> str:
    return "".join(
        f"def test_{i:02d}(submission):\n    assert submission.call('work', {i}) == {i}\n"
        for i in range(CHECKS)
    )


def _limits(time_s: float) -> Limits:
    return Limits(time_s=time_s, memory_mb=128, output_kb=16)


def _exercise(mode: str = "module", time_s: float = 1) -> CodeExercise:
    if mode == "testfile":
        tests = "import subject\n\n" + "".join(
            f"def test_{i:02d}():\n    assert subject.work({i}) == {i}\n\n" for i in range(CHECKS)
        )
        return CodeExercise(
            kind="code",
            id="subject",
            title="T",
            prompt="p",
            mode="testfile",
            starter="",
            solution="",
            tests={"test_subject.py": tests},
            limits=_limits(time_s),
        )
    return CodeExercise(
        kind="code",
        id="x",
        title="X",
        prompt="p",
        starter="",
        solution="",
        checks=_checks(),
        limits=_limits(time_s),
    )


def _in(seconds: float) -> float:
    return time.monotonic() + seconds


@pytest.mark.parametrize("mode", ["module", "testfile"])
def test_a_failure_then_the_deadline_is_a_failed_verdict_naming_what_did_not_run(
    grader: Grader, mode: str
) -> None:
    """Twelve 1-second endless checks do not fit in 10 s: the first ones fail on the time
    limit, the rest are named as not run, and the verdict (failed) stands."""
    verdict = grader.grade(_exercise(mode), ENDLESS_CALL, deadline=_in(10))
    assert not verdict.passed
    assert verdict.checks and verdict.unchecked
    assert all(c.limit == "time" for c in verdict.checks), verdict.checks
    names = [c.name.rsplit("::", 1)[-1] for c in verdict.checks]
    unchecked = [n.rsplit("::", 1)[-1] for n in verdict.unchecked]
    assert names + unchecked == [f"test_{i:02d}" for i in range(CHECKS)]
    assert "not run" in verdict.summary()


@pytest.mark.parametrize("mode", ["module", "testfile"])
def test_passing_checks_cut_by_the_deadline_give_no_verdict(grader: Grader, mode: str) -> None:
    """Right but slow (0.5 s per check well within its 3 s limit, 12 checks) with 5 s
    left: nothing failed, so no verdict is known: OutOfTime, and the runner grades the
    next job normally."""
    with pytest.raises(OutOfTime):
        grader.grade(_exercise(mode, time_s=3), SLOW_BUT_RIGHT, deadline=_in(5))
    assert grader.grade(_exercise(mode), RIGHT, deadline=_in(60)).passed


def test_no_time_left_runs_nothing(grader: Grader) -> None:
    with pytest.raises(OutOfTime):
        grader.grade(_exercise(), RIGHT, deadline=_in(0.5))


def test_without_a_deadline_every_check_runs(grader: Grader) -> None:
    verdict = grader.grade(_exercise(time_s=3), SLOW_BUT_RIGHT)
    assert verdict.passed and len(verdict.checks) == CHECKS and not verdict.unchecked


def test_tests_mode_implementations_are_cut_too(grader: Grader) -> None:
    """mode: tests runs the learner's tests against each implementation: an endless test
    is stopped by the time limit, later implementations by the deadline."""
    implementations = {"reference": RIGHT} | {
        f"broken{i}": f"def work(n):\n    return n + {i + 1}\n" for i in range(8)
    }
    exercise = CodeExercise(
        kind="code",
        id="t",
        title="T",
        prompt="p",
        mode="tests",
        starter="",
        solution="",
        checks="",
        implementations=implementations,
        limits=_limits(1),
    )
    endless_tests = "def test_loops():\n    while True:\n        pass\n"
    verdict = grader.grade(exercise, endless_tests, deadline=_in(8))
    assert not verdict.passed and verdict.checks and verdict.unchecked
    assert len(verdict.checks) + len(verdict.unchecked) == len(implementations)


def test_a_runner_that_does_not_answer_by_the_deadline_is_given_up(grader: Grader) -> None:
    """A check that never waits for the learner's child (here an instructor's endless
    loop, in the runner itself) is not stopped by the budget: the caller gives the
    runner up at the deadline (OutOfTime), and the next job gets a new runner."""
    spinning = CodeExercise(
        kind="code",
        id="spin",
        title="S",
        prompt="p",
        starter="",
        solution="",
        checks="def test_spins(submission):\n    while True:\n        pass\n",
        limits=_limits(1),
    )
    with pytest.raises(OutOfTime):
        grader.grade(spinning, RIGHT, deadline=_in(4))
    assert grader.grade(_exercise(), RIGHT, deadline=_in(90)).passed
