"""The grading runner: ``python -m exercises.sandbox._runner MODE PARENT_PID``.

Started by :mod:`exercises.sandbox._runners` with an empty environment, never forked
from the web server.  It imports what checks and learner code need, enters its jail,
then reads jobs on stdin and writes results on stdout (the typed messages of
:mod:`exercises.sandbox.protocol`), forking sandboxed single-use children ahead of
demand.
"""

from __future__ import annotations

# What checks, learner code and instructor test files (mode: testfile) commonly use,
# imported once before the jail and before any child is forked (in the weak sandbox
# the runner may not be able to read the standard library afterwards).
import asyncio  # noqa: F401
import dataclasses  # noqa: F401
import decimal  # noqa: F401
import fractions  # noqa: F401
import gc
import json  # noqa: F401
import logging  # noqa: F401
import os
import select
import signal
import statistics  # noqa: F401
import string  # noqa: F401
import sys
import unittest
import unittest.mock  # noqa: F401

import anyio.pytest_plugin  # noqa: F401
import fastapi  # noqa: F401
import httpx  # noqa: F401
import pydantic  # noqa: F401
import pytest  # noqa: F401
import starlette.testclient  # noqa: F401
from pydantic import ValidationError

from exercises.sandbox import _jail, _job, _linux, _testfile, _warmup, _wire
from exercises.sandbox._child_pool import BudgetSpent, ChildPool
from exercises.sandbox.protocol import (
    PROTOCOL,
    GradingJob,
    GradingResult,
    RunnerHello,
    SandboxMode,
)


def _channels() -> tuple[int, int]:
    """Move the job pipes off 0 and 1 so nothing printed can corrupt them."""
    job_in, job_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)
    return job_in, job_out


def _enter(
    mode: str, simulate_refusal: bool, exclude: tuple[str, ...], hide: tuple[str, ...]
) -> tuple[_jail.JailState | None, str]:
    try:
        if simulate_refusal:
            raise _jail.NamespacesRefused("the kernel refused namespaces (simulated)")
        return _jail.enter_runner_jail(exclude, hide), ""
    except _jail.NamespacesRefused as exc:
        if mode == "weak":
            return _jail.JailState(strict=False, host_root=os.geteuid() == 0), str(exc)
        return None, str(exc)


def _readable(fd: int) -> bool:
    return bool(select.select([fd], [], [], 0)[0])


def _answer(data: object, pool: ChildPool | None, hello: RunnerHello) -> GradingResult:
    if pool is None:
        return GradingResult(error=f"cannot grade safely: {hello.reason}")
    try:
        job = GradingJob.model_validate(data)
    except ValidationError as exc:
        return GradingResult(error=f"grader error: a malformed job ({exc.error_count()} problems)")
    pool.begin_job(job.budget_s)
    try:
        run = _testfile.run_job if job.mode == "testfile" else _job.run_job
        result = run(job, pool)
    except BudgetSpent:  # stopped where no check could take it: nothing judged
        result = GradingResult(unfinished=["the checks"])
    except Exception as exc:  # a runner bug must not kill the runner
        result = GradingResult(error=f"grader error: {type(exc).__name__}: {exc}")
    finally:
        pool.begin_job(None)
    return result.model_copy(update={"sandbox": hello.sandbox, "limits": hello.limits})


def serve(job_in: int, job_out: int, state: _jail.JailState | None, reason: str) -> None:
    sandbox: SandboxMode | None = None
    if state is not None:
        sandbox = "strict" if state.strict else "weak"
    scratch = "" if state is None else state.tmp_dir
    limits = "rlimit" if state is None else state.limits
    hello = RunnerHello(
        protocol=PROTOCOL, sandbox=sandbox, reason=reason, scratch_dir=scratch, limits=limits
    )
    _wire.send_model(job_out, hello)
    pool = ChildPool(state) if state is not None else None
    _jail.confine_runner(state)  # from here on, instructor checks run: no privilege left
    if pool is not None:
        pool.refill()
    while True:
        try:
            data = _wire.recv(job_in)
        except _wire.WireError:
            break
        _wire.send_model(job_out, _answer(data, pool, hello))
        if pool is not None:
            pool.refill(lambda: _readable(job_in))
    if pool is not None:
        pool.close()


def main(argv: list[str]) -> None:
    mode = argv[1] if len(argv) > 1 else "strict"
    parent = int(argv[2]) if len(argv) > 2 else 0
    simulate = "--simulate-refusal" in argv
    exclude = tuple(a.split("=", 1)[1] for a in argv if a.startswith("--exclude="))
    hide = tuple(a.split("=", 1)[1] for a in argv if a.startswith("--hide="))
    # No PR_SET_PDEATHSIG here: it fires when the *thread* that started us ends (a
    # worker thread of the caller), not the process. The runner stops instead when
    # its job pipe reaches end of file, which happens when the caller exits.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Grading runs on the CPU the web server leaves idle: the runner, its zygote and
    # every learner child inherit the lowest priority, so pages stay fast while graders
    # are saturated (docs/operating.md, "Grading under load").
    _linux.lowest_cpu_priority()
    if parent and os.getppid() != parent:
        sys.exit(1)
    job_in, job_out = _channels()
    _warmup.warm()
    state, reason = _enter(mode, simulate, exclude, hide)
    gc.collect()
    gc.freeze()
    serve(job_in, job_out, state, reason)


if __name__ == "__main__":
    main(sys.argv)
