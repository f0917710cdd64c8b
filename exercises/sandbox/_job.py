"""Running a grading job in the runner: compile the checks, give each a fresh child.

A job is plain data (checks source, submission source, mode, limits,
implementations); its result is a list of check results as plain data.  The
runner process calls :func:`run_job`; nothing here trusts the learner's child.
"""

from __future__ import annotations

import ast
import inspect
import random
import time
import types
from collections.abc import Callable
from typing import Any

from _pytest.assertion.rewrite import rewrite_asserts

from exercises.sandbox import _disguise, _plain
from exercises.sandbox._child import EXIT_CHANNEL_LOST, EXIT_SANDBOX_FAILED
from exercises.sandbox._child_pool import ChildGone, ChildPool, ChildProcess, OutputLimit, TimeLimit
from exercises.sandbox.submission import LearnerError, Submission, SubmissionBroken

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
        code = compile(tree, "checks.py", "exec")
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


def _result(name: str, passed: bool, message: str = "", limit: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "passed": passed,
        "message": _plain.bounded(message, MESSAGE_LIMIT),
        "limit": limit,
        "output": "",
        "elapsed": 0.0,
    }


class Job:
    """One grading request, as the runner received it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.checks = str(data.get("checks", ""))
        self.source = str(data.get("source", ""))
        self.mode = str(data.get("mode", "module"))
        limits = data.get("limits") or {}
        self.time_s = float(limits.get("time_s", 2.0))
        self.memory_mb = int(limits.get("memory_mb", 256))
        self.output_kb = int(limits.get("output_kb", 64))
        self.fail_fast = bool(data.get("fail_fast"))
        self.only = data.get("only") if isinstance(data.get("only"), str) else None
        impls = data.get("implementations") or {}
        self.implementations = {str(k): str(v) for k, v in impls.items()}

    def setup_message(self, module_name: str, modules: dict[str, str]) -> dict[str, Any]:
        return {
            "op": "setup",
            "source": self.source,
            "module_name": module_name,
            "modules": {name: _disguise.compiled(source) for name, source in modules.items()},
            "time_s": self.time_s,
            "memory_mb": self.memory_mb,
            "output_kb": self.output_kb,
        }

    def limit_message(self, kind: str) -> str:
        if kind == "time":
            return (
                f"stopped after {_fmt_seconds(self.time_s)} s: "
                "your code never finished (an endless loop?)"
            )
        if kind == "memory":
            return f"stopped: your code used more than {self.memory_mb} MB of memory"
        return f"stopped: your code printed more than {self.output_kb} KB of output"


def _ended_message(job: Job, status: str) -> tuple[str, str | None]:
    if status in ("SIGXCPU", "SIGKILL"):
        return job.limit_message("time"), "time"
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


def _learner_message(err: LearnerError, job: Job) -> tuple[str, str | None]:
    if err.type == "MemoryError":
        return job.limit_message("memory"), "memory"
    if _process_limit(err):
        return "stopped: your code started more than 64 processes or threads", "processes"
    if err.type == "RecursionError":
        return f"your code recursed too deeply (RecursionError: {err.message})", None
    where = f" (line {err.line})" if err.line else ""
    return f"your code raised {err}{where}", None


def _run_check(job: Job, name: str, fn: CheckFunction, sub: Submission) -> dict[str, Any]:
    try:
        if inspect.signature(fn).parameters:
            fn(sub)
        else:
            fn()
        sub.finish()
        return _result(name, True)
    except AssertionError as exc:
        return _result(name, False, str(exc) or "assertion failed")
    except TimeLimit:
        return _result(name, False, job.limit_message("time"), "time")
    except OutputLimit:
        return _result(name, False, job.limit_message("output"), "output")
    except ChildGone as exc:
        message, limit = _ended_message(job, exc.status)
        return _result(name, False, message, limit)
    except SubmissionBroken as exc:
        message, limit = _learner_message(exc.error, job)
        if limit is None:
            where = f" (line {exc.error.line})" if exc.error.line else ""
            message = f"your code could not be imported: {exc.error}{where}"
        return _result(name, False, message, limit)
    except LearnerError as exc:
        message, limit = _learner_message(exc, job)
        return _result(name, False, message, limit)
    except Exception as exc:
        return _result(name, False, f"{type(exc).__name__}: {exc}")


def _take(pool: ChildPool, job: Job) -> ChildProcess:
    proc = pool.take()
    proc.output_cap = job.output_kb * 1024
    proc.limit_memory(job.memory_mb)
    return proc


def _with_child(
    job: Job,
    pool: ChildPool,
    module_name: str,
    modules: dict[str, str],
    body: Callable[[Submission], dict[str, Any]],
) -> dict[str, Any]:
    """Run one check; its child is taken from the pool on the first request, if any."""
    start = time.monotonic()
    setup = job.setup_message(module_name, modules)
    sub = Submission(job.source, lambda: _take(pool, job), setup, start + job.time_s)
    try:
        result = body(sub)
        if sub.proc is not None and not result["passed"] and sub.proc.ran_out_of_memory():
            result.update(message=job.limit_message("memory"), limit="memory")
    finally:
        if sub.proc is not None:
            sub.proc.kill(wait=False)
    result["output"] = sub.proc.output_text() if sub.proc is not None else ""
    result["elapsed"] = round(time.monotonic() - start, 4)
    return result


def _tests_against(job: Job, pool: ChildPool, impl_name: str) -> dict[str, Any]:
    reference = impl_name == "reference"
    name = (
        "your tests pass on the reference implementation"
        if reference
        else f"your tests catch the broken implementation '{impl_name}'"
    )

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


def run_job(data: dict[str, Any], pool: ChildPool) -> dict[str, Any]:
    """Grade one job; each check (and each implementation in mode=tests) gets a fresh child.

    ``only`` (a check name) runs just that checks-file function; ``fail_fast`` stops
    after the first failing check.  ``tutor check-course`` uses both to go faster.
    """
    job = Job(data)
    try:
        checks = compile_checks(job.checks)
    except ChecksBroken as exc:
        return {"ok": False, "error": str(exc)}
    selected = [(name, fn) for name, fn in checks if name == job.only]
    if selected:
        checks = selected
    results: list[dict[str, Any]] = []
    module_name, modules = "submission", {}
    if job.mode == "tests":
        if "reference" not in job.implementations:
            return {"ok": False, "error": "mode=tests needs a 'reference' implementation"}
        module_name = "test_submission"
        modules = {"app_under_test": job.implementations["reference"]}
        if not selected:
            names = list(job.implementations)
            random.SystemRandom().shuffle(names)
            by_name = {n: _tests_against(job, pool, n) for n in names}
            results += [by_name[n] for n in job.implementations]
    for name, fn in checks:
        if job.fail_fast and any(not r["passed"] for r in results):
            break
        results.append(
            _with_child(
                job,
                pool,
                module_name,
                modules,
                lambda sub, n=name, f=fn: _run_check(job, n, f, sub),  # type: ignore[misc]
            )
        )
    return {"ok": True, "checks": results}
