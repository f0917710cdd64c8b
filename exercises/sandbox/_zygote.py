"""The zygote: a pristine copy of the runner that forks the learner children.

The runner forks the zygote right after warming up and entering its jail, before it
has seen any job; every learner child is then forked from the zygote.  So a child's
memory holds no earlier submission, check or verdict, only the warmed-up modules.
The zygote hands each child's pipe ends to the runner over a Unix socket
(``SCM_RIGHTS``), reaps the children and reports how each one ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from exercises.sandbox import _cgroups, _child, _jail, _linux, _seccomp

SPAWN = b"spawn"
KILL = b"kill:"


class ZygoteGone(RuntimeError):
    """The zygote died: the runner cannot make children any more."""


class Zygote:
    """The runner's handle on its zygote process."""

    def __init__(self, state: _jail.JailState) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            ours.close()
            _serve(theirs, state)
        theirs.close()
        self.pid = pid
        self.sock = ours
        self.watching: set[int] = set()
        self.statuses: dict[int, int] = {}
        self.out_of_memory: set[int] = set()

    def spawn(self) -> tuple[int, list[int], bool, tuple[str, int] | None]:
        """A new child: its pid, its (request, reply, output) pipe ends, whether it leads
        a process group (weak mode), and its cgroup's name with that cgroup's
        out-of-memory kills before it (None without cgroups)."""
        try:
            self.sock.sendall(SPAWN)
        except OSError:
            raise ZygoteGone("the zygote is gone") from None
        while True:
            data, fds = self._receive(None)
            if "pid" in data and len(fds) == 3:
                pid = int(data["pid"])
                self.watching.add(pid)
                cgroup = data.get("cgroup")
                place = (str(cgroup), int(data.get("oom") or 0)) if cgroup else None
                return pid, fds, bool(data.get("group")), place
            if "error" in data:
                raise OSError(0, f"cannot fork a learner child: {data['error']}")

    def _receive(self, timeout: float | None) -> tuple[dict[str, Any], list[int]]:
        """One message; exit notices are recorded on the way."""
        if timeout is not None and not select.select([self.sock], [], [], max(timeout, 0))[0]:
            return {}, []
        try:
            msg, fds, _, _ = socket.recv_fds(self.sock, 4096, 3)
        except OSError:
            raise ZygoteGone("the zygote is gone") from None
        if not msg:
            raise ZygoteGone("the zygote is gone")
        data = json.loads(msg)
        if "exit" in data and data["exit"] in self.watching:
            self.watching.discard(data["exit"])
            self.statuses[int(data["exit"])] = int(data["status"])
            if data.get("oom"):
                self.out_of_memory.add(int(data["exit"]))
        return data, fds

    def kill(self, pid: int) -> None:
        """Have the zygote kill one of its children.

        The runner cannot do it itself: it has given up every privilege, and the child
        runs as another uid in a user namespace of its own.
        """
        with contextlib.suppress(OSError):
            self.sock.sendall(KILL + str(pid).encode())

    def status(self, pid: int, timeout: float) -> int | None:
        """How the child ended (a wait status), waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while pid not in self.statuses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._receive(remaining)
        return self.statuses.pop(pid)

    def forget(self, pid: int) -> None:
        self.watching.discard(pid)
        self.statuses.pop(pid, None)
        self.out_of_memory.discard(pid)

    def close(self) -> None:
        """End the zygote: it kills the children it still has, then exits."""
        self.sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


@dataclass
class _Born:
    """What the zygote remembers of a child until it is reaped."""

    workdir: str | None = None  # weak mode: its private work directory
    cgroup: str | None = None  # its cgroup (a reused slot) under the runner's ``kids``
    oom_kills: int = 0  # the slot's out-of-memory kills before this child


def _fork_child(
    state: _jail.JailState, slots: _cgroups.Slots | None
) -> tuple[int, list[int], _Born]:
    born = _Born()
    if slots is not None:
        born.cgroup, born.oom_kills = slots.take()
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    out_r, out_w = os.pipe()
    born.workdir = None if state.strict else _weak_workdir()
    try:
        pid = _linux.fork_into(_jail.CHILD_NAMESPACES) if state.strict else os.fork()
    except OSError:
        _forget(born, slots)
        for fd in (req_r, req_w, rep_r, rep_w, out_r, out_w):
            os.close(fd)
        raise
    if pid == 0:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _child_fds(req_r, rep_w, out_w)
        if state.strict:
            _child.start(lambda: _jail.confine_child(state, born.cgroup))
        else:
            _child.start(lambda: _jail.confine_weak_child(str(born.workdir)))
    for fd in (req_r, rep_w, out_w):
        os.close(fd)
    return pid, [req_w, rep_r, out_r], born


def _forget(born: _Born, slots: _cgroups.Slots | None) -> bool:
    """Release what the zygote made for an ended child; whether its memory ran out."""
    oom = False
    if born.cgroup is not None and slots is not None:
        oom = slots.give_back(born.cgroup, born.oom_kills)
    if born.workdir:
        shutil.rmtree(born.workdir, ignore_errors=True)
    return oom


def _weak_workdir() -> str:
    path = tempfile.mkdtemp(prefix="tutor-child-")
    if os.geteuid() == 0:
        os.chown(path, _jail.SANDBOX_UID, _jail.SANDBOX_UID)
    return path


def _child_fds(req: int, rep: int, out: int) -> None:
    """In the fresh child: 0 = /dev/null, 1 and 2 = output, 3 = requests, 4 = replies."""
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        req2, rep2 = os.dup(req), os.dup(rep)
        os.dup2(req2, _child.REQUEST_FD)
        os.dup2(rep2, _child.REPLY_FD)
        os.closerange(_child.REPLY_FD + 1, 65536)
    except BaseException:
        os._exit(_child.EXIT_SANDBOX_FAILED)


def _reap(
    sock: socket.socket,
    children: dict[int, _Born],
    state: _jail.JailState,
    slots: _cgroups.Slots | None,
) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        if not state.strict:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        oom = _forget(children.pop(pid, _Born()), slots)
        sock.send(json.dumps({"exit": pid, "status": status, "oom": oom}).encode())


def _serve(sock: socket.socket, state: _jail.JailState) -> None:
    """The zygote's loop: fork a child per request, reap and report; never returns."""
    children: dict[int, _Born] = {}
    slots = _cgroups.Slots(state.kids) if state.kids is not None else None
    try:
        _linux.prctl(_linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        _seccomp.prepare()  # children only load the filter
        _child.prepare()  # the learner side's state, built once, copied by each fork
        _linux.malloc_trim()  # fewer pages for every fork to copy
        _linux.collapse_huge_pages()  # and far fewer page-table entries
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        while True:
            readable, _, _ = select.select([sock.fileno(), wake_r], [], [])
            if wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    os.read(wake_r, 4096)
            _reap(sock, children, state, slots)
            if sock.fileno() in readable:
                request = sock.recv(64)
                if not request:
                    break
                if request.startswith(KILL):
                    _kill(int(request[len(KILL) :]), children, state)
                    continue
                try:
                    pid, fds, born = _fork_child(state, slots)
                except OSError as exc:
                    sock.send(json.dumps({"error": str(exc)}).encode())
                    continue
                children[pid] = born
                group = not state.strict
                reply = json.dumps(
                    {"pid": pid, "group": group, "cgroup": born.cgroup, "oom": born.oom_kills}
                ).encode()
                socket.send_fds(sock, [reply], fds)
                for fd in fds:
                    os.close(fd)
    except OSError:  # the runner closed its end: stop quietly
        pass
    except BaseException as exc:  # the zygote is broken: say why, then stop
        with contextlib.suppress(OSError):
            os.write(2, f"tutor zygote stopping: {exc!r}\n".encode())
    _end_children(children, state, slots)
    os._exit(0)


def _kill(pid: int, children: dict[int, _Born], state: _jail.JailState) -> None:
    """Kill a child the runner has finished with (only ever one of ours)."""
    if pid not in children:
        return
    with contextlib.suppress(OSError):
        if not state.strict:
            os.killpg(pid, signal.SIGKILL)
        os.kill(pid, signal.SIGKILL)


def _end_children(
    children: dict[int, _Born], state: _jail.JailState, slots: _cgroups.Slots | None
) -> None:
    """Kill the children still alive, wait for them, remove what was made for them."""
    for pid in children:
        with contextlib.suppress(OSError):
            if not state.strict:
                os.killpg(pid, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
    for pid, born in children.items():
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        _forget(born, slots)
    if slots is not None:
        slots.close()
