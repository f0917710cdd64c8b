"""Where the kernel refuses namespaces: strict refuses to grade, weak grades and says so."""

from __future__ import annotations

import os
import threading
import time

import pytest

from curriculum import Course
from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader
from exercises.sandbox import SandboxUnavailable, private_tmp_dir
from tests.exercises.conftest import code_exercise

ADD = "def add(a, b):\n    return a + b\n"
LOOPING = CodeExercise(
    kind="code",
    id="loop",
    title="Loop",
    prompt="p",
    starter="",
    solution="def f():\n    return 1\n",
    checks="def test_f(submission):\n    assert submission.call('f') == 1\n",
    limits=Limits(time_s=0.5),
)


def test_strict_mode_refuses_with_the_reason(mini: Course) -> None:
    grader = Grader("strict", runners=1, simulate_refusal=True)
    try:
        with pytest.raises(SandboxUnavailable, match="kernel refused namespaces"):
            grader.grade(code_exercise(mini, "add-numbers"), ADD)
    finally:
        grader.close()


def test_weak_mode_grades_and_marks_the_verdict(mini: Course) -> None:
    grader = Grader("weak", runners=1, simulate_refusal=True)
    try:
        good = grader.grade(code_exercise(mini, "add-numbers"), ADD)
        bad = grader.grade(LOOPING, "while True:\n    pass\n")
    finally:
        grader.close()
    assert good.passed and good.weak_sandbox
    assert not bad.passed and bad.weak_sandbox
    assert bad.limit_hit is not None and bad.limit_hit.startswith("stopped after 0.5 s")


def test_unknown_sandbox_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="strict"):
        Grader("none")


def test_runners_can_be_started_ahead_of_the_first_submission(mini: Course) -> None:
    grader = Grader("strict", runners=2)
    try:
        grader.start()
        assert len(grader._pool._all) == 2
        assert grader.grade(code_exercise(mini, "add-numbers"), ADD).passed
        assert len(grader._pool._all) == 2
    finally:
        grader.close()


def test_private_tmp_moves_aside_when_python_lives_under_tmp() -> None:
    assert private_tmp_dir(["/usr", "/opt/venv/lib/python3.11/site-packages"]) == "/tmp"
    assert private_tmp_dir(["/usr", "/tmp/venv/lib/python3.11/site-packages"]) == "/scratch"


def test_a_runner_outlives_the_thread_that_started_it(mini: Course) -> None:
    grader = Grader("strict", runners=1)
    try:
        starter = threading.Thread(
            target=lambda: grader.grade(code_exercise(mini, "add-numbers"), ADD)
        )
        starter.start()
        starter.join()
        runner = grader._pool._all[0]
        time.sleep(0.5)  # a parent-death signal tied to the thread would have fired by now
        assert runner.alive
        assert grader.grade(code_exercise(mini, "add-numbers"), ADD).passed
        assert grader._pool._all == [runner]
    finally:
        grader.close()


def test_a_killed_runner_is_replaced(mini: Course) -> None:
    grader = Grader("strict", runners=1)
    try:
        assert grader.grade(code_exercise(mini, "add-numbers"), ADD).passed
        first = grader._pool._all[0]
        first.proc.kill()
        first.proc.wait()
        assert grader.grade(code_exercise(mini, "add-numbers"), ADD).passed
        assert len(grader._pool._all) == 1
        assert grader._pool._all[0] is not first
    finally:
        grader.close()


def test_an_unknown_sandbox_mode_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="'strict' or 'weak', not 'lax'"):
        Grader("lax")


def test_the_grader_starts_and_stops_explicitly(mini: Course) -> None:
    with Grader("strict", runners=1) as grader:
        grader.start()
        hello = grader.runner_hello()
        assert hello.sandbox == "strict"
        assert hello.scratch_dir in ("/tmp", "/scratch")
        pids = [runner.proc.pid for runner in grader._pool._all]
        assert len(pids) == 1
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    try:  # closed like a connection pool: a later job starts a new runner
        assert grader.grade(code_exercise(mini, "add-numbers"), ADD).passed
    finally:
        grader.close()
