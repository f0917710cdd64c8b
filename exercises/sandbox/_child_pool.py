"""Runner side of the learner children: forked ahead of demand, used once, then killed."""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from exercises.sandbox import _cgroups, _jail, _wire
from exercises.sandbox._zygote import Zygote


class ChildGone(Exception):
    """The child died or closed its channel before answering."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class TimeLimit(Exception):
    """The child did not answer before the check's deadline."""


class OutputLimit(Exception):
    """The child wrote more output than the exercise allows."""


class BudgetSpent(BaseException):
    """The job's time budget ended while a check waited for its child: the check is not
    judged. A ``BaseException``, so a check's own ``except Exception`` cannot swallow it
    (and :attr:`Budget.spent` records it even if one does)."""


class Budget:
    """A job's time budget (``GradingJob.budget_s``), shared by the children of the job."""

    def __init__(self, seconds: float | None = None) -> None:
        self.end = math.inf if seconds is None else time.monotonic() + seconds
        self.spent = False

    def over(self) -> bool:
        """Whether the budget has ended (then it is spent: nothing more may start)."""
        if time.monotonic() >= self.end:
            self.spent = True
        return self.spent


def _nonblocking(fd: int) -> None:
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return name
    return f"exit status {os.WEXITSTATUS(status)}"


class ChildProcess:
    """One learner child, seen from the runner: its pipes, its output, its end."""

    def __init__(
        self,
        pid: int,
        fds: list[int],
        zygote: Zygote,
        group: bool,
        cgroup: tuple[_cgroups.Kids, str, int] | None = None,
    ) -> None:
        self.pid = pid
        self.req, self.rep, self.out = fds
        self.zygote = zygote
        self.group = group
        self.cgroup = cgroup
        self.oom = False
        self.output = bytearray()
        self.output_total = 0
        self.output_cap = 65536
        self.status: int | None = None
        self.killed = False
        self.out_open = True
        self.budget = Budget()
        for fd in fds:
            _nonblocking(fd)

    def request(self, msg: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send one request; wait for its reply while collecting output."""
        data = _wire.encode(msg)
        view = memoryview(data)
        while view:
            readable, writable = self._wait(self._outputs(), [self.req], deadline)
            if self.out in readable:
                self._drain()
            if writable:
                try:
                    view = view[os.write(self.req, view[:65536]) :]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    raise ChildGone(self._ended()) from None
        return self._receive(deadline)

    def _receive(self, deadline: float) -> dict[str, Any]:
        buf = bytearray()
        while True:
            readable, _ = self._wait([*self._outputs(), self.rep], [], deadline)
            if self.out in readable:
                self._drain()
            if self.rep not in readable:
                continue
            try:
                chunk = os.read(self.rep, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                self._drain_all()
                raise ChildGone(self._ended())
            buf += chunk
            if len(buf) >= _wire.HEADER.size:
                (size,) = _wire.HEADER.unpack_from(buf)
                if size > _wire.MAX_MESSAGE:
                    raise ChildGone("sent a reply that is too large")
                if len(buf) >= _wire.HEADER.size + size:
                    try:
                        reply = _wire.decode(
                            bytes(buf[_wire.HEADER.size : _wire.HEADER.size + size])
                        )
                    except _wire.WireError:
                        reply = None
                    if not isinstance(reply, dict):
                        raise ChildGone("sent a malformed reply")
                    return reply

    def _wait(
        self, rfds: list[int], wfds: list[int], deadline: float
    ) -> tuple[list[int], list[int]]:
        """Wait for the child until the check's ``deadline`` (then TimeLimit: the learner's
        code was too slow) or the job's budget ends first (then BudgetSpent: not judged)."""
        end = min(deadline, self.budget.end)
        remaining = end - time.monotonic()
        readable: list[int] = []
        writable: list[int] = []
        if remaining > 0:
            readable, writable, _ = select.select(rfds, wfds, [], remaining)
        if readable or writable:
            return readable, writable
        if end < deadline:
            self.budget.spent = True
            raise BudgetSpent()
        raise TimeLimit()

    def _outputs(self) -> list[int]:
        return [self.out] if self.out_open else []

    def _drain(self) -> None:
        try:
            chunk = os.read(self.out, 65536)
        except BlockingIOError:
            return
        if not chunk:
            self.out_open = False
        self._keep(chunk)

    def _drain_all(self) -> None:
        while self.out_open:
            try:
                chunk = os.read(self.out, 65536)
            except (BlockingIOError, OSError):
                return
            if not chunk:
                self.out_open = False
                return
            self._keep(chunk)

    def _keep(self, chunk: bytes) -> None:
        room = self.output_cap - len(self.output)
        if room > 0:
            self.output += chunk[:room]
        self.output_total += len(chunk)
        if self.output_total > self.output_cap:
            raise OutputLimit()

    def _ended(self) -> str:
        """Why the reply channel closed: the child's exit status, or 'closed'."""
        status = self.zygote.status(self.pid, 0.2)
        self.oom = self.pid in self.zygote.out_of_memory
        self.kill(wait=False)
        if status is None:
            return "closed"
        self.status = status
        return _describe_status(status)

    def kill(self, wait: bool = True) -> None:
        """Kill the child and everything it started; close the pipes.

        In strict mode the child is PID 1 of its own PID namespace, so SIGKILL to it
        ends every process it started; in weak mode it leads its own process group.
        The zygote reaps it; with ``wait`` this returns once it has.
        """
        if self.status is None and not self.killed:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if self.group:
                    os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
            self.zygote.kill(self.pid)  # the runner may lack the right to: the zygote has it
            self.killed = True
        for fd in (self.req, self.rep, self.out):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.req = self.rep = self.out = -1
        if wait and self.status is None:
            self.status = self.zygote.status(self.pid, 10.0)
        if self.status is not None or not wait:
            self.zygote.forget(self.pid)

    def limit_memory(self, megabytes: int) -> None:
        """Bound the memory of this child's whole process tree (with cgroups)."""
        if self.cgroup is not None:
            kids, name, _ = self.cgroup
            kids.limit_memory(name, megabytes)

    def ran_out_of_memory(self) -> bool:
        """Whether the kernel killed a process of this child's tree for its memory."""
        if self.oom or self.pid in self.zygote.out_of_memory:
            return True
        if self.cgroup is None or self.status is not None:
            return False
        kids, name, kills_before = self.cgroup
        return kids.oom_kills(name) > kills_before

    def output_text(self) -> str:
        return self.output.decode("utf-8", errors="replace")


class ChildPool:
    """Children forked ahead of demand (by the zygote); each serves one check, then dies."""

    def __init__(self, state: _jail.JailState, size: int = 4) -> None:
        self.state = state
        self.size = size
        self.zygote = Zygote(state)
        self.ready: list[ChildProcess] = []
        self.used: list[ChildProcess] = []
        self.budget = Budget()

    def begin_job(self, budget_s: float | None) -> Budget:
        """A job starts: the children taken from now on stop waiting when its budget ends."""
        self.budget = Budget(budget_s)
        return self.budget

    def take(self) -> ChildProcess:
        """A ready child; it is killed (if still alive) at the next refill at the latest."""
        proc = self.ready.pop(0) if self.ready else self.spawn()
        proc.budget = self.budget
        self.used.append(proc)
        return proc

    def refill(self, pending: Callable[[], bool] = lambda: False) -> None:
        """Between jobs: forget used children, fork replacements until a job is pending."""
        for proc in self.used:
            proc.kill(wait=False)
        self.used = []
        while len(self.ready) < self.size and not pending():
            self.ready.append(self.spawn())

    def close(self) -> None:
        for proc in self.ready + self.used:
            proc.kill(wait=False)
        self.ready.clear()
        self.used.clear()
        self.zygote.close()

    def spawn(self) -> ChildProcess:
        pid, fds, group, cgroup = self.zygote.spawn()
        kids = self.state.kids
        place = (kids, *cgroup) if kids is not None and cgroup is not None else None
        return ChildProcess(pid, fds, self.zygote, group, place)
