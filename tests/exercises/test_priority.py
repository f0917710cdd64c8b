"""Grading runs at the lowest CPU priority: the runner, its zygote and every learner child.

Read from ``/proc`` on the host (the scheduling policy and nice value of every process
in the runner's tree) and from inside the sandbox (what learner code sees, and that it
cannot raise its priority back).
"""

from __future__ import annotations

import os
from pathlib import Path

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader

SCHED_IDLE = 5
IDLE_NICE = 19

CHECKS = """
def test_priority(submission):
    assert submission.call("probe") == "idle 19 refused", submission.call("probe")
"""
PROBE = """
import os

def probe():
    policy = "idle" if os.sched_getscheduler(0) == os.SCHED_IDLE else "normal"
    nice = os.getpriority(os.PRIO_PROCESS, 0)
    try:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        os.setpriority(os.PRIO_PROCESS, 0, 0)
        escape = "allowed"
    except OSError:
        escape = "refused"
    return f"{policy} {nice} {escape}"
"""


def _exercise() -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="priority",
        title="Priority",
        prompt="Report the scheduling policy.",
        starter="",
        solution=PROBE,
        checks=CHECKS,
        limits=Limits(time_s=5, memory_mb=128, output_kb=16),
    )


def _policy_and_nice(pid: int) -> tuple[int, int]:
    """Fields 41 (policy) and 19 (nice) of /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[38]), int(fields[16])


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc/PID/task/*/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def test_learner_code_runs_at_idle_priority_and_cannot_raise_it(grader: Grader) -> None:
    verdict = grader.grade(_exercise(), PROBE)
    assert verdict.passed, verdict.checks[0].message


def test_every_process_of_the_runner_tree_is_idle(grader: Grader) -> None:
    grader.grade(_exercise(), PROBE)  # the runners are up, their children forked ahead
    runners = [runner.proc.pid for runner in grader._pool._all]
    assert runners
    seen = 0
    for runner in runners:
        for pid in _tree(runner):
            try:
                policy, nice = _policy_and_nice(pid)
            except OSError:
                continue  # a used child that ended while we looked
            assert (policy, nice) == (SCHED_IDLE, IDLE_NICE), (pid, policy, nice)
            seen += 1
    assert seen > len(runners)  # the zygote and waiting children were read too
    assert os.sched_getscheduler(0) != SCHED_IDLE  # the caller keeps its own priority
