"""Runner side of the learner children: forked ahead of demand, used once, then killed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from typing import Any

from exercises import child, jail, linux, wire


class ChildGone(Exception):
    """The child died or closed its channel before answering."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class TimeLimit(Exception):
    """The child did not answer before the check's deadline."""


class OutputLimit(Exception):
    """The child wrote more output than the exercise allows."""


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
        self, pid: int, req: int, rep: int, out: int, workdir: str | None, group: bool
    ) -> None:
        self.pid, self.req, self.rep, self.out = pid, req, rep, out
        self.workdir = workdir
        self.group = group
        self.output = bytearray()
        self.output_total = 0
        self.output_cap = 65536
        self.status: int | None = None
        self.killed = False
        self.out_open = True
        for fd in (req, rep, out):
            _nonblocking(fd)

    def request(self, msg: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send one request; wait for its reply while collecting output."""
        data = wire.encode(msg)
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
            if len(buf) >= wire.HEADER.size:
                (size,) = wire.HEADER.unpack_from(buf)
                if size > wire.MAX_MESSAGE:
                    raise ChildGone("sent a reply that is too large")
                if len(buf) >= wire.HEADER.size + size:
                    try:
                        reply = wire.decode(bytes(buf[wire.HEADER.size : wire.HEADER.size + size]))
                    except wire.WireError:
                        reply = None
                    if not isinstance(reply, dict):
                        raise ChildGone("sent a malformed reply")
                    return reply

    def _wait(
        self, rfds: list[int], wfds: list[int], deadline: float
    ) -> tuple[list[int], list[int]]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeLimit()
        readable, writable, _ = select.select(rfds, wfds, [], remaining)
        if not readable and not writable:
            raise TimeLimit()
        return readable, writable

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
        for _ in range(50):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                self.kill()
                return _describe_status(status)
            time.sleep(0.002)
        self.kill()
        return "closed"

    def kill(self, wait: bool = True) -> None:
        """Kill the child and everything it started; close the pipes; reap it if ``wait``.

        In strict mode the child is PID 1 of its own PID namespace, so SIGKILL to it
        ends every process it started; reaping can then wait until after the verdict.
        """
        if self.status is None and not self.killed:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if self.group:
                    os.killpg(self.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
            self.killed = True
        for fd in (self.req, self.rep, self.out):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.req = self.rep = self.out = -1
        if wait or self.group:
            self.reap()

    def reap(self, block: bool = True) -> bool:
        """Collect the dead child; with ``block=False`` only if it is already gone."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
            if not pid:
                return False
            self.status = status
            if self.group:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.pid, signal.SIGKILL)
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        return True

    def output_text(self) -> str:
        return self.output.decode("utf-8", errors="replace")


class ChildPool:
    """Children forked ahead of demand; each is used for one check, then killed."""

    def __init__(self, state: jail.JailState, size: int = 4) -> None:
        self.state = state
        self.size = size
        self.ready: list[ChildProcess] = []
        self.used: list[ChildProcess] = []

    def take(self) -> ChildProcess:
        """A ready child; it is killed (if still alive) and reaped at the next refill."""
        proc = self.ready.pop(0) if self.ready else self.spawn()
        self.used.append(proc)
        return proc

    def refill(self, pending: Callable[[], bool] = lambda: False) -> None:
        """Between jobs: collect dead children, fork replacements until a job is pending."""
        self.reap()
        while len(self.ready) < self.size and not pending():
            self.ready.append(self.spawn())

    def reap(self) -> None:
        """Kill the used children; collect those whose namespaces are already torn down."""
        still = []
        for proc in self.used:
            proc.kill(wait=False)
            if not proc.reap(block=False):
                still.append(proc)
        self.used = still

    def close(self) -> None:
        for proc in self.ready + self.used:
            proc.kill()
        self.ready.clear()
        self.used.clear()

    def spawn(self) -> ChildProcess:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        workdir = None if self.state.strict else _weak_workdir()
        if self.state.strict:
            confine: Callable[[], None] = lambda: jail.confine_child(self.state)  # noqa: E731
            pid = linux.fork_into(jail.CHILD_NAMESPACES)
        else:
            confine = lambda: jail.confine_weak_child(str(workdir))  # noqa: E731
            pid = os.fork()
        if pid == 0:
            _child_fds(req_r, rep_w, out_w)
            child.start(confine)
        for fd in (req_r, rep_w, out_w):
            os.close(fd)
        return ChildProcess(pid, req_w, rep_r, out_r, workdir, group=not self.state.strict)


def _weak_workdir() -> str:
    path = tempfile.mkdtemp(prefix="tutor-child-")
    if os.geteuid() == 0:
        os.chown(path, jail.SANDBOX_UID, jail.SANDBOX_UID)
    return path


def _child_fds(req: int, rep: int, out: int) -> None:
    """In the fresh child: 0 = /dev/null, 1 and 2 = output, 3 = requests, 4 = replies."""
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        req2, rep2 = os.dup(req), os.dup(rep)
        os.dup2(req2, child.REQUEST_FD)
        os.dup2(rep2, child.REPLY_FD)
        os.closerange(child.REPLY_FD + 1, 65536)
    except BaseException:
        os._exit(71)
