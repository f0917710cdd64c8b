"""Starting and talking to grading runners, from the CLI or the web app.

Each runner is a separate process started with an empty environment (not a fork of
the caller); a :class:`RunnerPool` keeps a few of them and hands each job to a free
one.  Calls are blocking; the web app wraps them in a thread (see ``exercises.grade``).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from exercises.sandbox import _wire
from exercises.sandbox.protocol import (
    PROTOCOL,
    GradingJob,
    GradingResult,
    RunnerHello,
    SandboxMode,
)

START_SECONDS = 60.0
RUNNER_GRACE_S = 1.5
"""A job's budget ends this long before the caller's deadline: time for the runner to
stop a child and answer. At the deadline itself the runner is given up (killed)."""
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class SandboxUnavailable(RuntimeError):
    """Grading is refused: the kernel refused namespaces and weak mode is off."""


class GraderError(RuntimeError):
    """The runner failed (crashed, timed out, or sent nonsense)."""


class OutOfTime(RuntimeError):
    """The job could not be graded before the caller's deadline (not the learner's fault:
    too little time was left, or the checks ran out of it before a verdict was known)."""


class RunnerStale(GraderError):
    """The runner had stopped before it was given the job (safe to retry elsewhere)."""


def runner_env() -> dict[str, str]:
    """The whole environment of a runner: nothing inherited from the caller."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONPATH": PACKAGE_PARENT,
        "PYTHONDONTWRITEBYTECODE": "1",
        "MALLOC_ARENA_MAX": "1",
    }


def hidden_paths() -> list[str]:
    """What the sandbox shows as empty directories wherever it would show them: the
    bundled courses (their solutions and checks), package data in a regular install.

    Imported here, in the caller: the runner itself never loads the course machinery."""
    from curriculum.registry import BUNDLED_DIR

    return [str(BUNDLED_DIR.resolve())]


class Runner:
    """One grading runner process."""

    def __init__(self, sandbox: SandboxMode = "strict", *, simulate_refusal: bool = False) -> None:
        args = [sys.executable, "-P", "-m", "exercises.sandbox._runner", sandbox, str(os.getpid())]
        if simulate_refusal:
            args.append("--simulate-refusal")
        args += [f"--hide={path}" for path in hidden_paths()]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=runner_env(),
            close_fds=True,
            start_new_session=True,
            cwd="/",
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin.fileno()
        self._out = self.proc.stdout.fileno()
        try:
            hello = _wire.recv_model(self._out, RunnerHello, _deadline(START_SECONDS))
        except _wire.WireError as exc:
            self.close(graceful=False)
            raise GraderError(f"the grading runner did not start: {exc}") from None
        if hello.protocol != PROTOCOL:
            self.close(graceful=False)
            raise GraderError(
                f"the grading runner speaks protocol {hello.protocol}, not {PROTOCOL}"
            )
        self.hello = hello

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, job: GradingJob, timeout: float) -> GradingResult:
        try:
            _wire.send_model(self._in, job, _deadline(timeout))
        except _wire.WireError as exc:
            self.close(graceful=False)
            raise RunnerStale(f"the grading runner had stopped: {exc}") from None
        try:
            return _wire.recv_model(self._out, GradingResult, _deadline(timeout))
        except _wire.WireError as exc:
            self.close(graceful=False)
            raise GraderError(f"the grading runner failed: {exc}") from None

    def close(self, graceful: bool = True) -> None:
        """Ask the runner to stop (end of its job pipe), then kill it if it lingers."""
        if not graceful and self.proc.poll() is None:
            self.proc.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            with contextlib.suppress(Exception):
                self.proc.wait(timeout=10)


def _deadline(seconds: float) -> float:
    return time.monotonic() + seconds


def _within(job: GradingJob, timeout: float, deadline: float | None) -> tuple[GradingJob, float]:
    """The job with a budget that ends before ``deadline`` (a ``time.monotonic()`` time),
    and the wait for its answer cut to the deadline; OutOfTime when too little is left."""
    if deadline is None:
        return job, timeout
    left = deadline - time.monotonic()
    if left <= RUNNER_GRACE_S:
        raise OutOfTime("no time was left to run the checks")
    return job.model_copy(update={"budget_s": left - RUNNER_GRACE_S}), min(timeout, left)


class RunnerPool:
    """A few runners; each job goes to a free one; dead runners are replaced."""

    def __init__(
        self, sandbox: SandboxMode = "strict", size: int = 2, *, simulate_refusal: bool = False
    ) -> None:
        if sandbox not in ("strict", "weak"):
            raise ValueError(f"sandbox must be 'strict' or 'weak', not {sandbox!r}")
        self.sandbox = sandbox
        self.size = size
        self.simulate_refusal = simulate_refusal
        self._free: queue.Queue[Runner | None] = queue.Queue()
        for _ in range(size):
            self._free.put(None)
        self._all: list[Runner] = []
        self._lock = threading.Lock()

    def _new_runner(self) -> Runner:
        runner = Runner(self.sandbox, simulate_refusal=self.simulate_refusal)
        with self._lock:
            dead = [r for r in self._all if not r.alive]
            self._all = [r for r in self._all if r.alive] + [runner]
        for old in dead:
            old.close(graceful=False)
        return runner

    def run(self, job: GradingJob, timeout: float, deadline: float | None = None) -> GradingResult:
        """Run one job on a free runner; raises SandboxUnavailable or GraderError.

        With a ``deadline`` (a ``time.monotonic()`` time), the job gets a budget that ends
        before it (its result may then be partly ``unfinished``), and the runner is given
        up at the deadline; OutOfTime if too little time is left to start, or if the
        runner did not answer by then.
        """
        runner = self._free.get()
        try:
            if runner is None or not runner.alive:
                runner = self._new_runner()
            if runner.hello.sandbox is None:
                raise SandboxUnavailable(f"cannot grade safely: {runner.hello.reason}")
            try:
                return runner.run(*_within(job, timeout, deadline))
            except RunnerStale:
                runner = self._new_runner()
                return runner.run(*_within(job, timeout, deadline))
            except GraderError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise OutOfTime("the grading runner did not answer by the deadline") from None
                raise
        finally:
            self._free.put(runner if runner is not None and runner.alive else None)

    def hello(self) -> RunnerHello:
        """What a runner said when it started (its sandbox, its scratch folder); starts one."""
        runner = self._free.get()
        try:
            if runner is None or not runner.alive:
                runner = self._new_runner()
            return runner.hello
        finally:
            self._free.put(runner if runner is not None and runner.alive else None)

    def start(self) -> None:
        """Start every runner now rather than on first use (e.g. at web app startup)."""
        taken = [self._free.get() for _ in range(self.size)]
        try:
            taken = [r if r is not None and r.alive else self._new_runner() for r in taken]
        finally:
            for runner in taken:
                self._free.put(runner)

    def close(self) -> None:
        """Stop every runner now (a job running on one fails); a later job starts new ones."""
        with self._lock:
            runners, self._all = self._all, []
        for runner in runners:
            runner.close()
