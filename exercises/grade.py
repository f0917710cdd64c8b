"""Grading API used by the CLI and the web app: the only way into the sandbox.

A :class:`Grader` owns a pool of sandboxed runner processes.  Call
``grade(exercise, source)`` (blocking) or ``agrade`` (the same for an event loop: the
pipe I/O runs in a worker thread).  ``start`` starts the runners ahead (they otherwise
start on first use) and ``close`` stops them, like a connection pool's dispose: a
later job starts new ones.  ``with Grader(...) as grader:`` closes it at the end.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from types import TracebackType
from typing import get_args

from curriculum.model import CodeExercise, Course, Exercise, Limits
from exercises.mistakes import detect_mistakes
from exercises.sandbox import GraderError, OutOfTime, RunnerPool, SandboxUnavailable
from exercises.sandbox.protocol import (
    CheckOutcome,
    GradingJob,
    GradingResult,
    JobLimits,
    RunnerHello,
    SandboxMode,
)
from exercises.verdict import OUTPUT_SHOWN, CheckResult, RunOutput, Verdict

__all__ = [
    "ExerciseBroken",
    "ExerciseNotFound",
    "Grader",
    "GraderError",
    "OutOfTime",
    "SandboxMode",
    "SandboxUnavailable",
    "find_code_exercise",
    "find_exercise",
]

log = logging.getLogger("exercises")
MAX_SOURCE = 256 * 1024
SLACK_SECONDS = 6.0
SANDBOX_MODES: tuple[str, ...] = get_args(SandboxMode)


class ExerciseNotFound(LookupError):
    """No exercise with that id in the course, or it is not a code exercise."""


class ExerciseBroken(GraderError):
    """The exercise's own checks cannot be loaded: ``verdict`` is its error verdict.

    A GraderError, so callers that only know grader failures still refuse to count it as
    an answer; ``tutor check`` reports the verdict with its own exit status (3).
    """

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.error or "the exercise is broken")
        self.verdict = verdict


def find_exercise(course: Course, exercise_id: str) -> Exercise:
    """The exercise with this id in the course's outline; ExerciseNotFound if none."""
    ref = course.outline.exercise(exercise_id)
    if ref is None:
        raise ExerciseNotFound(f"no exercise {exercise_id!r} in course {course.id!r}")
    return ref.exercise


def find_code_exercise(course: Course, exercise_id: str) -> CodeExercise:
    """The code exercise of that id; ExerciseNotFound if there is none, or it is another kind."""
    exercise = find_exercise(course, exercise_id)
    if not isinstance(exercise, CodeExercise):
        raise ExerciseNotFound(f"{exercise_id!r} is a {exercise.kind}, not a code exercise")
    return exercise


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a file reference was not resolved by the loader")
    return value


def _limits(limits: Limits) -> JobLimits:
    return JobLimits(time_s=limits.time_s, memory_mb=limits.memory_mb, output_kb=limits.output_kb)


def _job(
    exercise: CodeExercise,
    source: str,
    *,
    fail_fast: bool = False,
    only: str | None = None,
    filename: str | None = None,
    run: bool = False,
) -> GradingJob:
    testfile = exercise.mode == "testfile"
    return GradingJob(
        checks="" if exercise.checks is None else _text(exercise.checks),
        source=source,
        mode=exercise.mode,
        module_name=exercise.module_name if testfile else "submission",
        tests={k: _text(v) for k, v in exercise.tests.items()},
        files={k: _text(v) for k, v in exercise.files.items()},
        limits=_limits(exercise.limits),
        implementations={k: _text(v) for k, v in exercise.implementations.items()},
        fail_fast=fail_fast,
        only=only,
        filename=filename,
        run=run,
    )


def _timeout(checks: str, limits: Limits, implementations: int = 0) -> float:
    count = len(re.findall(r"^\s*(?:async\s+)?def\s+test_", checks, re.M)) + implementations
    count += len(re.findall(r"@pytest\.mark\.parametrize", checks)) * 20
    # each check: the import (its own time_s budget), the check's time_s, and slack
    return (max(count, 1) + 1) * (2 * limits.time_s + SLACK_SECONDS) + 30


def _check_result(outcome: CheckOutcome) -> CheckResult:
    return CheckResult(
        name=outcome.name,
        passed=outcome.passed,
        message=outcome.message.strip(),
        details=outcome.details.strip(),
        output=outcome.output[:OUTPUT_SHOWN],
        elapsed=outcome.elapsed,
        limit=outcome.limit,
    )


def _graded(result: GradingResult, exercise_id: str = "") -> list[CheckOutcome]:
    if result.error is not None and result.broken:
        message = f"the exercise is broken (not your code): {result.error}"
        raise ExerciseBroken(
            Verdict(exercise_id=exercise_id, passed=False, checks=[], error=message)
        )
    if result.error is not None:
        raise GraderError(result.error)
    return result.checks


def _verdict(
    exercise: CodeExercise, source: str, result: GradingResult, elapsed: float, attempt: int
) -> Verdict:
    outcomes = _graded(result, exercise.id)
    checks = [_check_result(c) for c in outcomes]
    if result.unfinished and all(c.passed for c in checks):
        # the checks that ran passed, the rest did not run in time: no verdict is known
        raise OutOfTime(f"{len(result.unfinished)} checks did not run in time")
    passed = bool(checks) and all(c.passed for c in checks) and not result.unfinished
    shown = next((c for c in outcomes if not c.passed), outcomes[0] if outcomes else None)
    output = shown.output if shown is not None else ""
    limited = next((c for c in checks if c.limit), None)
    weak = result.sandbox == "weak"
    if weak:
        log.warning("graded %s in the WEAK sandbox (rlimits only, no namespaces)", exercise.id)
    return Verdict(
        exercise_id=exercise.id,
        passed=passed,
        checks=checks,
        output=output[:OUTPUT_SHOWN],
        output_truncated=len(output) > OUTPUT_SHOWN,
        time_used=round(elapsed, 4),
        limit_hit=limited.message if limited is not None else None,
        mistakes=detect_mistakes(exercise, source, checks),
        hints=[] if passed else list(exercise.hints[: max(attempt, 1)]),
        solution_available=not passed and attempt >= exercise.attempts_before_solution,
        weak_sandbox=weak,
        limits=result.limits,
        unchecked=result.unfinished,
    )


def _too_large(exercise: CodeExercise) -> Verdict:
    message = f"your submission is larger than {MAX_SOURCE // 1024} KB"
    return Verdict(
        exercise_id=exercise.id,
        passed=False,
        checks=[CheckResult(name="submission size", passed=False, message=message)],
    )


class Grader:
    """Grades code submissions with a pool of sandboxed runners.

    ``sandbox`` is ``strict`` (namespaces, seccomp; refuse to grade without them) or
    ``weak`` (rlimits only where the kernel refuses namespaces); anything else is a
    ValueError here, not at the first submission.
    """

    def __init__(
        self, sandbox: str = "strict", *, runners: int = 2, simulate_refusal: bool = False
    ) -> None:
        if sandbox not in SANDBOX_MODES:
            raise ValueError(f"sandbox must be 'strict' or 'weak', not {sandbox!r}")
        mode: SandboxMode = "strict" if sandbox == "strict" else "weak"
        self._pool = RunnerPool(mode, runners, simulate_refusal=simulate_refusal)

    def start(self) -> None:
        """Start the runners now (they otherwise start on first use); may raise GraderError."""
        self._pool.start()

    def close(self) -> None:
        """Stop the runners now (a job running fails); a later job starts new ones."""
        self._pool.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def runner_hello(self) -> RunnerHello:
        """How a runner is confined and where learner code may write (starts one if needed)."""
        return self._pool.hello()

    def grade(
        self,
        exercise: CodeExercise,
        source: str,
        *,
        attempt: int = 1,
        fail_fast: bool = False,
        only: str | None = None,
        filename: str | None = None,
        deadline: float | None = None,
    ) -> Verdict:
        """Grade ``source``; ``fail_fast`` stops at the first failure, ``only`` runs one check;
        ``filename`` (the learner's name for the file) is named in syntax errors.

        ``deadline`` (a ``time.monotonic()`` time) bounds the whole grading: checks still
        to run when it comes are not run. If one that ran failed, the verdict (failed)
        stands and names them in ``unchecked``; if none failed, no verdict is known and
        OutOfTime is raised (the caller says "busy, retry").

        Raises SandboxUnavailable (strict mode, namespaces refused), ExerciseBroken (the
        exercise's checks cannot be loaded), OutOfTime or GraderError.
        """
        if len(source.encode("utf-8", errors="replace")) > MAX_SOURCE:
            return _too_large(exercise)
        start = time.monotonic()
        job = _job(exercise, source, fail_fast=fail_fast, only=only, filename=filename)
        checks = job.checks + "\n".join(job.tests.values())
        timeout = _timeout(checks, exercise.limits, len(job.implementations))
        result = self._pool.run(job, timeout, deadline)
        return _verdict(exercise, source, result, time.monotonic() - start, attempt)

    def run(self, exercise: CodeExercise, source: str) -> RunOutput:
        """Run ``source`` as ``__main__`` in the sandbox, with the exercise's limits, and
        return what it printed: the learner's Run, never graded or stored.

        Raises SandboxUnavailable (strict mode, namespaces refused) or GraderError.
        """
        if len(source.encode("utf-8", errors="replace")) > MAX_SOURCE:
            message = f"your code is larger than {MAX_SOURCE // 1024} KB"
            return RunOutput(exercise_id=exercise.id, ok=False, errors=message)
        start = time.monotonic()
        job = _job(exercise, source, run=True)
        result = self._pool.run(job, _timeout("", exercise.limits))
        outcome = _graded(result)[0]
        return RunOutput(
            exercise_id=exercise.id,
            ok=outcome.passed,
            output=outcome.output[:OUTPUT_SHOWN],
            errors=outcome.message[:OUTPUT_SHOWN],
            truncated=len(outcome.output) > OUTPUT_SHOWN or len(outcome.message) > OUTPUT_SHOWN,
            limit_hit=outcome.message.split("\n", 1)[0] if outcome.limit else None,
            time_used=round(time.monotonic() - start, 4),
            weak_sandbox=result.sandbox == "weak",
        )

    async def agrade(self, exercise: CodeExercise, source: str, *, attempt: int = 1) -> Verdict:
        """``grade`` for an event loop: never blocks it."""
        return await asyncio.to_thread(self.grade, exercise, source, attempt=attempt)

    def run_checks(self, *, checks: str, source: str, limits: Limits) -> list[CheckResult]:
        """Run a checks file (``test_*`` functions) against ``source`` in module mode."""
        job = GradingJob(checks=checks, source=source, limits=_limits(limits))
        result = self._pool.run(job, _timeout(checks, limits))
        return [_check_result(c) for c in _graded(result)]
