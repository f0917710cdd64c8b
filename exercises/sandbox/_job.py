"""Running a grading job in the runner: compile the checks, give each a fresh child.

A job (:class:`~exercises.sandbox.protocol.GradingJob`) carries the checks source,
the submission, its mode, limits and implementations; its result is a
:class:`~exercises.sandbox.protocol.GradingResult`.  The runner process calls
:func:`run_job`; nothing here trusts the learner's child.
"""

from __future__ import annotations

import ast
import inspect
import random
import time
import types
from collections.abc import Callable
from functools import partial
from typing import Any

from _pytest.assertion import util as assertion_util
from _pytest.assertion.rewrite import rewrite_asserts

from exercises.sandbox import _describe, _disguise, _plain
from exercises.sandbox._child import EXIT_CHANNEL_LOST, EXIT_SANDBOX_FAILED
from exercises.sandbox._child_pool import (
    BudgetSpent,
    ChildGone,
    ChildPool,
    ChildProcess,
    OutputLimit,
    TimeLimit,
)
from exercises.sandbox.protocol import CheckOutcome, GradingJob, GradingResult, LimitHit
from exercises.sandbox.submission import LearnerError, RunResult, Submission, SubmissionBroken

MESSAGE_LIMIT = 2000
CheckFunction = Callable[..., Any]
_compiled: dict[str, list[tuple[str, CheckFunction]]] = {}


class ChecksBroken(Exception):
    """The instructor's checks file does not compile or import."""


def compile_checks(source: str) -> list[tuple[str, CheckFunction]]:
    """The ``test_*`` functions of a checks file, in file order, with rewritten asserts."""
    cached = _compiled.get(source)
    if cached is not None:
        return cached
    try:
        tree = ast.parse(source, "checks.py")
        rewrite_asserts(tree, source.encode(), "checks.py", None)
        # dont_inherit: the code's own __future__ imports, not this module's
        code = compile(tree, "checks.py", "exec", dont_inherit=True)
        module = types.ModuleType("checks")
        module.__file__ = "checks.py"
        exec(code, module.__dict__)  # noqa: S102 - instructor code, trusted
    except Exception as exc:
        raise ChecksBroken(f"the checks file is broken: {type(exc).__name__}: {exc}") from None
    found: list[tuple[str, CheckFunction]] = [
        (name, fn)
        for name, fn in module.__dict__.items()
        if name.startswith("test_") and inspect.isfunction(fn)
    ]
    if len(_compiled) > 256:
        _compiled.clear()
    _compiled[source] = found
    return found


def _fmt_seconds(seconds: float) -> str:
    return f"{seconds:g}"


def _result(
    name: str, passed: bool, message: str = "", limit: LimitHit | None = None, details: str = ""
) -> CheckOutcome:
    return CheckOutcome(
        name=name,
        passed=passed,
        message=_plain.bounded(message, MESSAGE_LIMIT),
        details=_plain.bounded(details, MESSAGE_LIMIT),
        limit=limit,
    )


class _Comparisons:
    """Records the failing comparison of a rewritten ``assert`` (pytest's reprcompare hook)."""

    def __init__(self) -> None:
        self.last: _describe.Comparison | None = None

    def __call__(self, op: str, left: object, right: object) -> None:
        self.last = _describe.Comparison(op, left, right)
        return  # keep pytest's own explanation for the details


def _failed_assertion(
    name: str, exc: AssertionError, seen: _Comparisons, sub: Submission
) -> CheckOutcome:
    explained = _describe.explain(str(exc) or "", seen.last, sub.action)
    return _result(name, False, explained.message, details=explained.details)


def _setup_message(job: GradingJob, module_name: str, modules: dict[str, str]) -> dict[str, Any]:
    """What the learner child needs to load the submission (the child protocol is plain)."""
    return {
        "op": "setup",
        "source": job.source,
        "module_name": module_name,
        "modules": {name: _disguise.compiled(source) for name, source in modules.items()},
        "files": dict(job.files),
        "time_s": job.limits.time_s,
        "memory_mb": job.limits.memory_mb,
        "output_kb": job.limits.output_kb,
    }


def _limit_message(job: GradingJob, kind: LimitHit) -> str:
    limits = job.limits
    if kind == "time":
        return (
            f"stopped after {_fmt_seconds(limits.time_s)} s: "
            "your code never finished (an endless loop?)"
        )
    if kind == "memory":
        return f"stopped: your code used more than {limits.memory_mb} MB of memory"
    return f"stopped: your code printed more than {limits.output_kb} KB of output"


def _ended_message(job: GradingJob, status: str) -> tuple[str, LimitHit | None]:
    if status in ("SIGXCPU", "SIGKILL"):
        return _limit_message(job, "time"), "time"
    if status.startswith("sent "):
        return f"your code {status} to the grader", None
    if status == "closed" or status == f"exit status {EXIT_CHANNEL_LOST}":
        return "your code closed its channel to the grader before the check finished", None
    if status in (f"exit status {EXIT_SANDBOX_FAILED}", "could not be set up"):
        return "the sandbox could not start your code (a grader problem, not your code)", None
    if status == "SIGXFSZ":
        return "stopped: your code wrote a file larger than the sandbox allows (16 MB)", "output"
    if status == "SIGSEGV":
        return "your program crashed (a segmentation fault: recursion too deep?)", "crash"
    if status.startswith("exit status"):
        return f"your code ended the program ({status}) before the check finished", None
    return f"your program was stopped by {status} before the check finished", None


def _process_limit(err: LearnerError) -> bool:
    if err.type == "BlockingIOError" and "Resource temporarily unavailable" in err.message:
        return True
    return err.type == "RuntimeError" and "can't start new thread" in err.message


def _learner_message(err: LearnerError, job: GradingJob) -> tuple[str, LimitHit | None]:
    if err.type == "MemoryError":
        return _limit_message(job, "memory"), "memory"
    if _process_limit(err):
        return "stopped: your code started more than 64 processes or threads", "processes"
    if err.type == "RecursionError":
        return f"your code recursed too deeply (RecursionError: {err.message})", None
    if err.explained:
        return err.explained, None
    where = f" (line {err.line})" if err.line else ""
    return f"your code raised {err}{where}", None


def _import_message(err: LearnerError, job: GradingJob) -> str:
    """Why the submission could not be imported; a syntax error names the learner's file."""
    if err.type in ("SyntaxError", "IndentationError", "TabError") and err.line:
        where = f"{job.filename}, line {err.line}" if job.filename else f"line {err.line}"
        return f"your code could not be imported: {err.type} in {where}: {err.message}"
    where = f" (line {err.line})" if err.line else ""
    return f"your code could not be imported: {err}{where}"


def _run_check(job: GradingJob, name: str, fn: CheckFunction, sub: Submission) -> CheckOutcome:
    seen = _Comparisons()
    sub.usual = _describe.baselines(getattr(fn, "__globals__", {}))
    before = assertion_util._reprcompare
    assertion_util._reprcompare = seen
    try:
        return _checked(job, name, fn, sub, seen)
    finally:
        assertion_util._reprcompare = before


def _checked(
    job: GradingJob, name: str, fn: CheckFunction, sub: Submission, seen: _Comparisons
) -> CheckOutcome:
    try:
        if inspect.signature(fn).parameters:
            fn(sub)
        else:
            fn()
        sub.finish()
        return _result(name, True)
    except AssertionError as exc:
        return _failed_assertion(name, exc, seen, sub)
    except TimeLimit:
        return _result(name, False, _limit_message(job, "time"), "time")
    except OutputLimit:
        return _result(name, False, _limit_message(job, "output"), "output")
    except ChildGone as exc:
        message, limit = _ended_message(job, exc.status)
        return _result(name, False, message, limit)
    except SubmissionBroken as exc:
        message, limit = _learner_message(exc.error, job)
        if limit is None:
            message = _import_message(exc.error, job)
        return _result(name, False, message, limit)
    except LearnerError as exc:
        message, limit = _learner_message(exc, job)
        return _result(name, False, message, limit)
    except Exception as exc:
        return _result(name, False, f"{type(exc).__name__}: {exc}")


def _take(pool: ChildPool, job: GradingJob) -> ChildProcess:
    proc = pool.take()
    proc.output_cap = job.limits.output_kb * 1024
    proc.limit_memory(job.limits.memory_mb)
    return proc


def _with_child(
    job: GradingJob,
    pool: ChildPool,
    module_name: str,
    modules: dict[str, str],
    body: Callable[[Submission], CheckOutcome],
) -> CheckOutcome:
    """Run one check; its child is taken from the pool on the first request, if any."""
    start = time.monotonic()
    setup = _setup_message(job, module_name, modules)
    sub = Submission(job.source, lambda: _take(pool, job), setup, job.limits.time_s)
    try:
        result = body(sub)
        if sub.proc is not None and not result.passed and sub.proc.ran_out_of_memory():
            memory = _limit_message(job, "memory")
            result = result.model_copy(update={"message": memory, "limit": "memory"})
    finally:
        if sub.proc is not None:
            sub.proc.kill(wait=False)
    output = sub.proc.output_text() if sub.proc is not None else ""
    elapsed = round(time.monotonic() - start, 4)
    return result.model_copy(update={"output": output, "elapsed": elapsed})


def _tests_name(impl_name: str) -> str:
    """The check that runs the learner's tests against one implementation (mode: tests)."""
    if impl_name == "reference":
        return "your tests pass on the reference implementation"
    return f"your tests catch the broken implementation '{impl_name}'"


def _tests_against(job: GradingJob, pool: ChildPool, impl_name: str) -> CheckOutcome:
    reference = impl_name == "reference"
    name = _tests_name(impl_name)

    def check(sub: Submission) -> None:
        _judge_tests(sub.pytest(), reference)

    modules = {"app_under_test": job.implementations[impl_name]}
    return _with_child(
        job, pool, "test_submission", modules, lambda sub: _run_check(job, name, check, sub)
    )


def _judge_tests(outcome: dict[str, Any], reference: bool) -> None:
    tests = [t for t in outcome.get("tests", []) if isinstance(t, dict)]
    exitcode = outcome.get("exitcode")
    failed = [t for t in tests if t.get("outcome") == "failed"]
    if exitcode == 5 or not tests:
        raise AssertionError("no tests were collected: name your test functions test_...")
    if reference:
        if failed or exitcode != 0:
            lines = [f"{t.get('name')}: {str(t.get('message', ''))[-400:]}" for t in failed]
            raise AssertionError(
                "these tests fail on a correct implementation:\n" + "\n".join(lines)
            )
    elif exitcode == 0:
        raise AssertionError("every test passed on this broken implementation: add a test it fails")


def _run_main(job: GradingJob, pool: ChildPool) -> CheckOutcome:
    """The learner's Run: the submission as ``__main__`` in a fresh child, not graded.

    The outcome is named ``run``: passed when it exited with status 0; ``output`` is its
    standard output, ``message`` why it stopped (a limit, an exit status) and its
    standard error."""
    module_name, modules = "submission", {}
    if job.mode == "tests" and "reference" in job.implementations:
        module_name = "test_submission"
        modules = {"app_under_test": job.implementations["reference"]}
    ran: list[RunResult] = []

    def check(sub: Submission) -> None:
        ran.append(sub.run())
        if ran[0].returncode != 0:
            raise AssertionError(f"your program ended with exit status {ran[0].returncode}")

    outcome = _with_child(
        job, pool, module_name, modules, lambda sub: _run_check(job, "run", check, sub)
    )
    if not ran:
        return outcome
    stdout = ran[0].stdout + outcome.output  # what it printed, then what reached the fd
    message = "\n".join(m for m in (ran[0].stderr, outcome.message) if m)
    return outcome.model_copy(update={"output": stdout, "message": message})


def _within_budget(pool: ChildPool, check: Callable[[], CheckOutcome]) -> CheckOutcome | None:
    """``check()``, or None when the job's budget ended before or while it ran (then it
    is not judged: a stopped check says nothing about the learner's code)."""
    if pool.budget.over():
        return None
    try:
        outcome = check()
    except BudgetSpent:
        return None
    return None if pool.budget.spent else outcome


def run_job(job: GradingJob, pool: ChildPool) -> GradingResult:
    """Grade one job; each check (and each implementation in mode=tests) gets a fresh child.

    ``only`` (a check name) runs just that checks-file function; ``fail_fast`` stops
    after the first failing check.  ``tutor check-course`` uses both to go faster.
    When the job's budget ends, no further check starts: they are ``unfinished``.
    """
    if job.run:
        return GradingResult(checks=[_run_main(job, pool)])
    try:
        checks = compile_checks(job.checks)
    except ChecksBroken as exc:
        return GradingResult(error=str(exc), broken=True)
    selected = [(name, fn) for name, fn in checks if name == job.only]
    if selected:
        checks = selected
    results: list[CheckOutcome] = []
    unfinished: list[str] = []
    module_name, modules = "submission", {}
    if job.mode == "tests":
        if "reference" not in job.implementations:
            return GradingResult(error="mode=tests needs a 'reference' implementation", broken=True)
        module_name = "test_submission"
        modules = {"app_under_test": job.implementations["reference"]}
        if not selected:
            names = list(job.implementations)
            random.SystemRandom().shuffle(names)
            by_name: dict[str, CheckOutcome] = {}
            for n in names:
                outcome = _within_budget(pool, partial(_tests_against, job, pool, n))
                if outcome is None:
                    break
                by_name[n] = outcome
            results += [by_name[n] for n in job.implementations if n in by_name]
            unfinished += [_tests_name(n) for n in job.implementations if n not in by_name]
    for name, fn in checks:
        if job.fail_fast and any(not r.passed for r in results):
            break
        outcome = None
        if not unfinished:  # else the budget has ended: nothing more starts
            check = partial(_run_check, job, name, fn)
            run = partial(_with_child, job, pool, module_name, modules, check)
            outcome = _within_budget(pool, run)
        if outcome is None:
            unfinished.append(name)
        else:
            results.append(outcome)
    return GradingResult(checks=results, unfinished=unfinished)
