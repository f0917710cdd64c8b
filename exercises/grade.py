"""Grading API used by the CLI and the web app.

``grade(course, exercise_id, source)`` is blocking; ``agrade`` is the same for an
event loop (the blocking pipe I/O runs in a worker thread).  A :class:`Grader` owns
a pool of runner processes; the module-level functions share one per sandbox mode.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

from curriculum.model import CodeExercise, Course, Exercise
from exercises.sandbox import GraderError, RunnerPool, SandboxUnavailable
from exercises.verdict import OUTPUT_SHOWN, CheckResult, Verdict

__all__ = [
    "ExerciseNotFound",
    "Grader",
    "GraderError",
    "SandboxUnavailable",
    "agrade",
    "find_exercise",
    "grade",
    "iter_exercises",
]

log = logging.getLogger("exercises")
MAX_SOURCE = 256 * 1024
SLACK_SECONDS = 6.0


class ExerciseNotFound(LookupError):
    """No exercise with that id in the course, or it is not a code exercise."""


def iter_exercises(course: Course) -> Iterator[Exercise]:
    """Every exercise of a course, in course order (section, then its topics)."""
    for section in course.sections:
        for topic in section.topics:
            yield from topic.exercises
        yield from section.exercises


def find_exercise(course: Course, exercise_id: str) -> Exercise:
    for exercise in iter_exercises(course):
        if exercise.id == exercise_id:
            return exercise
    raise ExerciseNotFound(f"no exercise {exercise_id!r} in course {course.id!r}")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a file reference was not resolved by the loader")
    return value


def build_job(
    exercise: CodeExercise, source: str, *, fail_fast: bool = False, only: str | None = None
) -> dict[str, Any]:
    return {
        "fail_fast": fail_fast,
        "only": only,
        "checks": _text(exercise.checks),
        "source": source,
        "mode": exercise.mode,
        "limits": exercise.limits.model_dump(),
        "implementations": {k: _text(v) for k, v in exercise.implementations.items()},
    }


def job_timeout(exercise: CodeExercise) -> float:
    count = len(re.findall(r"^\s*(?:async\s+)?def\s+test_", _text(exercise.checks), re.M))
    count += len(exercise.implementations)
    return (max(count, 1) + 1) * (exercise.limits.time_s + SLACK_SECONDS) + 30


def detect_mistakes(exercise: CodeExercise, source: str, checks: list[CheckResult]) -> list[str]:
    failed = {c.name for c in checks if not c.passed}
    found = []
    for mistake in exercise.mistakes:
        hits = []
        if mistake.failing_check is not None:
            hits.append(mistake.failing_check in failed)
        if mistake.pattern is not None:
            hits.append(re.search(mistake.pattern, source, re.MULTILINE) is not None)
        if all(hits):
            found.append(mistake.message)
    return found


def _check_result(raw: dict[str, Any]) -> CheckResult:
    return CheckResult(
        name=str(raw.get("name", "?")),
        passed=bool(raw.get("passed")),
        message=str(raw.get("message", "")).strip(),
        output=str(raw.get("output", ""))[:OUTPUT_SHOWN],
        elapsed=float(raw.get("elapsed", 0.0)),
        limit=raw.get("limit") if isinstance(raw.get("limit"), str) else None,
    )


def make_verdict(
    exercise: CodeExercise, source: str, result: dict[str, Any], elapsed: float, attempt: int
) -> Verdict:
    raw_checks = result.get("checks") if result.get("ok") else None
    if raw_checks is None:
        raise GraderError(str(result.get("error", "the grader failed")))
    checks = [_check_result(c) for c in raw_checks]
    passed = bool(checks) and all(c.passed for c in checks)
    shown = next((c for c in checks if not c.passed), checks[0] if checks else None)
    output = next((str(c.get("output", "")) for c in raw_checks if not c.get("passed")), "")
    if not output and raw_checks:
        output = str(raw_checks[0].get("output", ""))
    limited = next((c for c in checks if c.limit), None)
    weak = result.get("sandbox") == "weak"
    if weak:
        log.warning("graded %s in the WEAK sandbox (rlimits only, no namespaces)", exercise.id)
    return Verdict(
        exercise_id=exercise.id,
        passed=passed,
        checks=checks,
        output=(shown.output if shown is not None else "")[:OUTPUT_SHOWN],
        output_truncated=len(output) > OUTPUT_SHOWN,
        time_used=round(elapsed, 4),
        limit_hit=limited.message if limited is not None else None,
        mistakes=detect_mistakes(exercise, source, checks),
        hints=[] if passed else list(exercise.hints[: max(attempt, 1)]),
        solution_available=not passed and attempt >= exercise.attempts_before_solution,
        weak_sandbox=weak,
        limits="cgroup" if result.get("limits") == "cgroup" else "rlimit",
    )


def _too_large(exercise: CodeExercise) -> Verdict:
    message = f"your submission is larger than {MAX_SOURCE // 1024} KB"
    return Verdict(
        exercise_id=exercise.id,
        passed=False,
        checks=[CheckResult(name="submission size", passed=False, message=message)],
    )


class Grader:
    """Grades code submissions with a pool of sandboxed runners."""

    def __init__(
        self, sandbox: str = "strict", runners: int = 2, *, simulate_refusal: bool = False
    ) -> None:
        self.pool = RunnerPool(sandbox, runners, simulate_refusal=simulate_refusal)

    def grade_exercise(
        self,
        exercise: CodeExercise,
        source: str,
        *,
        attempt: int = 1,
        fail_fast: bool = False,
        only: str | None = None,
    ) -> Verdict:
        """Grade ``source``; ``fail_fast`` stops at the first failure, ``only`` runs one check."""
        if len(source.encode("utf-8", errors="replace")) > MAX_SOURCE:
            return _too_large(exercise)
        start = time.monotonic()
        job = build_job(exercise, source, fail_fast=fail_fast, only=only)
        result = self.pool.run(job, job_timeout(exercise))
        return make_verdict(exercise, source, result, time.monotonic() - start, attempt)

    def grade(self, course: Course, exercise_id: str, source: str, *, attempt: int = 1) -> Verdict:
        exercise = find_exercise(course, exercise_id)
        if not isinstance(exercise, CodeExercise):
            raise ExerciseNotFound(f"{exercise_id!r} is a {exercise.kind}, not a code exercise")
        return self.grade_exercise(exercise, source, attempt=attempt)

    async def agrade(
        self, course: Course, exercise_id: str, source: str, *, attempt: int = 1
    ) -> Verdict:
        return await asyncio.to_thread(self.grade, course, exercise_id, source, attempt=attempt)

    def start(self) -> None:
        """Start the runners now (they otherwise start on first use); may raise GraderError."""
        self.pool.start()

    def run_job(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.pool.run(job, timeout)

    def close(self) -> None:
        self.pool.close()


_graders: dict[str, Grader] = {}
_graders_lock = threading.Lock()


def default_grader(sandbox: str = "strict") -> Grader:
    """The process-wide grader for a sandbox mode, started on first use."""
    with _graders_lock:
        grader = _graders.get(sandbox)
        if grader is None:
            grader = _graders[sandbox] = Grader(sandbox)
        return grader


def grade(
    course: Course, exercise_id: str, source: str, *, sandbox: str = "strict", attempt: int = 1
) -> Verdict:
    """Grade ``source`` for a code exercise; raises SandboxUnavailable when refused."""
    return default_grader(sandbox).grade(course, exercise_id, source, attempt=attempt)


async def agrade(
    course: Course, exercise_id: str, source: str, *, sandbox: str = "strict", attempt: int = 1
) -> Verdict:
    """``grade`` for an event loop: never blocks it."""
    grader = await asyncio.to_thread(default_grader, sandbox)
    return await grader.agrade(course, exercise_id, source, attempt=attempt)
