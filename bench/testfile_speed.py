"""Speed of ``mode: testfile`` (instructor test files through references), beside module mode.

    .venv/bin/python -m bench.testfile_speed [--runs 20]

Grades one 50-test exercise (a class-based ``Counter`` the tests instantiate, call
methods on, compare and iterate) through references, and the same 50 assertions as
a module-mode checks file (50 checks, each ``submission.call`` in a fresh child).
Prints p50/p95 of the whole check (submit -> verdict) and, for testfile, the p50 per
test beyond the first: ``(p50(50 tests) - p50(1 test)) / 49``; and the CPU time of the
whole process tree per exercise and per test (which a busy machine does not inflate).
Targets: testfile p50 <= 1 s for the whole exercise, <= 5 ms per test beyond the first.
Figures only: there are no timed assertions in the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.check_latency import _tree_cpu as tree_cpu
from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader

TESTS = 50
SOLUTION = """
class Counter:
    def __init__(self, start=0):
        self.value = start

    def add(self, n):
        self.value += n
        return self

    def __eq__(self, other):
        return isinstance(other, Counter) and other.value == self.value

    def __hash__(self):
        return hash(self.value)

    def __iter__(self):
        return iter(range(self.value))


def counted(n):
    return Counter(n).add(1).value
"""


def _unittest_file(count: int) -> str:
    lines = ["import unittest", "", "from counter import Counter, counted", ""]
    lines += ["", "class CounterTest(unittest.TestCase):"]
    for i in range(count):
        lines += [
            f"    def test_{i}(self):",
            f"        c = Counter({i}).add(2)",
            f"        self.assertEqual(c.value, {i + 2})",
            f"        self.assertEqual(c, Counter({i + 2}))",
            f"        self.assertEqual(len(list(Counter({i % 5}))), {i % 5})",
            f"        self.assertEqual(counted({i}), {i + 1})",
            "",
        ]
    return "\n".join(lines)


def _checks_file(count: int) -> str:
    lines = [
        "HELPER = '''",
        "def run(i):",
        "    c = Counter(i).add(2)",
        "    return [c.value, c == Counter(i + 2), len(list(Counter(i % 5))), counted(i)]",
        "'''",
        "",
    ]
    for i in range(count):
        lines += [
            f"def test_{i}(submission):",
            f"    assert submission.call('run', {i}) == [{i + 2}, True, {i % 5}, {i + 1}]",
            "",
        ]
    return "\n".join(lines)


MODULE_SOLUTION = (
    SOLUTION
    + """

def run(i):
    c = Counter(i).add(2)
    return [c.value, c == Counter(i + 2), len(list(Counter(i % 5))), counted(i)]
"""
)


def testfile_exercise(count: int) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="counter",
        title="Counter",
        prompt="Write Counter.",
        mode="testfile",
        starter="",
        solution=SOLUTION,
        tests={"test_counter.py": _unittest_file(count)},
        limits=Limits(time_s=5),
    )


def module_exercise(count: int) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="counter-module",
        title="Counter",
        prompt="Write Counter.",
        starter="",
        solution=MODULE_SOLUTION,
        checks=_checks_file(count),
        limits=Limits(time_s=5),
    )


def _times(
    grader: Grader, exercise: CodeExercise, source: str, runs: int
) -> tuple[list[float], float]:
    """Wall-clock seconds of each run, and the CPU seconds per run of the whole process
    tree (this process, the runner, its zygote and the learner children)."""
    verdict = grader.grade(exercise, source)  # warm the runner and its caches
    if not verdict.passed:
        raise SystemExit(f"{exercise.id}: the solution failed: {verdict.failed_checks[:2]}")
    times = []
    cpu_before = tree_cpu()
    for _ in range(runs):
        start = time.perf_counter()
        grader.grade(exercise, source)
        times.append(time.perf_counter() - start)
    return times, (tree_cpu() - cpu_before) / runs


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    with Grader("strict", runners=1) as grader:
        grader.start()
        full, full_cpu = _times(grader, testfile_exercise(TESTS), SOLUTION, args.runs)
        one, one_cpu = _times(grader, testfile_exercise(1), SOLUTION, args.runs)
        module, module_cpu = _times(
            grader, module_exercise(TESTS), MODULE_SOLUTION, max(args.runs // 4, 3)
        )
    per_test = (statistics.median(full) - statistics.median(one)) / (TESTS - 1)
    cpu_per_test = (full_cpu - one_cpu) / (TESTS - 1)
    print(
        f"testfile, {TESTS} tests:  p50 {statistics.median(full) * 1000:7.1f} ms  "
        f"p95 {_p(full, 0.95) * 1000:7.1f} ms   (target p50 <= 1000 ms)"
    )
    print(f"testfile, 1 test:    p50 {statistics.median(one) * 1000:7.1f} ms")
    print(f"testfile, per test beyond the first: {per_test * 1000:.2f} ms   (target <= 5 ms)")
    print(
        f"CPU (whole process tree): testfile {full_cpu * 1000:.0f} ms per exercise, "
        f"{one_cpu * 1000:.0f} ms for 1 test, {cpu_per_test * 1000:.2f} ms per test beyond "
        f"the first; module mode {module_cpu * 1000:.0f} ms per exercise"
    )
    print(
        f"module mode, {TESTS} checks: p50 {statistics.median(module) * 1000:7.1f} ms  "
        f"p95 {_p(module, 0.95) * 1000:7.1f} ms   (a fresh child per check)"
    )
    if load > cores:
        print(f"note: load average {load:.1f} on {cores} cores: latencies include waiting for CPU")


if __name__ == "__main__":
    main()
