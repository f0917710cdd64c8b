"""Per-sandbox cgroups: memory (memfd and tmpfs included) and processes for a whole tree.

At start, the runner's outer process makes ``tutor-PID/`` under its own cgroup in the
memory and pids hierarchies (cgroup v1) or in the unified hierarchy (v2, detected):

- ``runner/`` holds the grading runner and its zygote;
- ``kids/`` is bounded as a whole (``KIDS_MEMORY_MB``, ``KIDS_PIDS``; files the runner
  cannot write) and handed to the runner's uid, which creates one ``cN/`` per learner
  child, bounded by the exercise's ``memory_mb`` and ``PIDS_PER_CHILD``.

Inside its jail the runner sees only ``kids/`` (bind-mounted under ``TMP/.cgroup``);
each learner child joins its cgroup, then mounts its private tmpfs over ``TMP``,
which hides them before it runs anything.  Where any step fails (no
controller, no permission, a v2 tree without delegation) the sandbox falls back to
``RLIMIT_AS`` per process and says so (``limits: rlimit``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

KIDS_MEMORY_MB = 3072  # every learner child of one runner together
KIDS_PIDS = 512
PIDS_PER_CHILD = 64
IDLE_MEMORY_MB = 64  # a pre-forked child until the runner gives it a job's limit
V1_CONTROLLERS = ("memory", "pids")


@dataclass(frozen=True)
class Groups:
    """This runner's cgroups: ``tutor-PID`` per hierarchy, on the host."""

    version: int
    bases: tuple[str, ...]  # v1: memory, pids; v2: the unified one

    @property
    def names(self) -> tuple[str, ...]:
        """Where each hierarchy's ``kids/`` appears inside the jail."""
        return V1_CONTROLLERS if self.version == 1 else ("unified",)

    def kids(self) -> tuple[str, ...]:
        return tuple(f"{base}/kids" for base in self.bases)

    def jailed(self, tmp_dir: str) -> Kids:
        """``kids/`` inside the jail: under the directory where each learner child mounts
        its private tmpfs, which hides them from learner code at no cost."""
        return Kids(self.version, tuple(f"{tmp_dir}/.cgroup/{name}" for name in self.names))


def _own_cgroups() -> dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path."""
    own: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            own[name] = path
    return own


def _mount_points() -> dict[str, str]:
    """Controller (or "" for the v2 hierarchy) -> where its hierarchy is mounted."""
    points: dict[str, str] = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(tail) < 3 or fields[3] != "/":
            continue
        if tail[0] == "cgroup2":
            points.setdefault("", fields[4])
        elif tail[0] == "cgroup":
            for option in tail[2].split(","):
                points.setdefault(option, fields[4])
    return points


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _v1_bases(pid: int) -> tuple[str, ...] | None:
    own, points = _own_cgroups(), _mount_points()
    if not all(c in own and c in points for c in V1_CONTROLLERS):
        return None
    return tuple(f"{points[c]}{own[c].rstrip('/')}/tutor-{pid}" for c in V1_CONTROLLERS)


def _v2_base(pid: int) -> str | None:
    own, points = _own_cgroups(), _mount_points()
    if "" not in own or "" not in points:
        return None
    parent = f"{points['']}{own[''].rstrip('/')}"
    available = Path(parent, "cgroup.controllers").read_text().split()
    if not all(c in available for c in V1_CONTROLLERS):
        return None
    enabled = Path(parent, "cgroup.subtree_control").read_text().split()
    if not all(c in enabled for c in V1_CONTROLLERS):
        _write(f"{parent}/cgroup.subtree_control", "+memory +pids")  # fails unless delegated
    return f"{parent}/tutor-{pid}"


def create(pid: int, owner: int | None) -> Groups | None:
    """Make ``tutor-PID`` (runner and kids) for the runner about to start, or None.

    ``owner`` (a host uid) gets the ``kids`` directories and what moving a child there
    needs; their limits stay with the caller's uid.
    """
    made: list[str] = []
    try:
        bases = _v1_bases(pid)
        version = 1
        if bases is None:
            v2 = _v2_base(pid)
            if v2 is None:
                return None
            bases, version = (v2,), 2
        for base in bases:
            _make_base(base, version, owner, made)
        return Groups(version, bases)
    except OSError:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                Path(path).rmdir()
        return None


def _make_base(base: str, version: int, owner: int | None, made: list[str]) -> None:
    _remove_stale(str(Path(base).parent))
    Path(base).mkdir(0o755)
    made.append(base)
    if version == 2:
        _write(f"{base}/cgroup.subtree_control", "+memory +pids")
    for sub in ("runner", "kids"):
        Path(f"{base}/{sub}").mkdir(0o755)
        made.append(f"{base}/{sub}")
    kids = f"{base}/kids"
    if version == 2:
        _write(f"{kids}/cgroup.subtree_control", "+memory +pids")
    if Path(kids, "pids.max").exists():
        _write(f"{kids}/pids.max", str(KIDS_PIDS))
    for name in ("memory.limit_in_bytes", "memory.max"):
        if Path(kids, name).exists():
            _write(f"{kids}/{name}", str(KIDS_MEMORY_MB * 2**20))
    if owner is not None:
        os.chown(kids, owner, -1)
        os.chown(f"{base}/cgroup.procs", owner, -1)  # v2: the common ancestor of a move


def enter_runner(groups: Groups, pid: int) -> None:
    """Put the runner (``pid``) in ``runner/`` of every hierarchy."""
    for base in groups.bases:
        _write(f"{base}/runner/cgroup.procs", str(pid))


def remove_children(groups: Groups) -> None:
    """Remove what is left in ``kids/`` (the zygote removes each child's own cgroup)."""
    for kids in groups.kids():
        with contextlib.suppress(OSError), os.scandir(kids) as entries:
            for entry in list(entries):
                if entry.is_dir(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        Path(entry.path).rmdir()


def remove(groups: Groups) -> None:
    """Remove this runner's cgroups once its processes are gone (best effort)."""
    for base in groups.bases:
        for path in (f"{base}/kids", f"{base}/runner", base):
            _rmdir_when_idle(path)


def _rmdir_when_idle(path: str, tries: int = 100) -> None:
    """``rmdir``, retried while the kernel still finishes removing a sub-cgroup (EBUSY)."""
    for _ in range(tries):
        try:
            Path(path).rmdir()
        except OSError as exc:
            if exc.errno != errno.EBUSY:
                return
            time.sleep(0.01)
        else:
            return


def _remove_stale(parent: str) -> None:
    """Remove ``tutor-PID`` cgroups left by a runner that was killed before it could.

    Only where PID is gone and ``runner/`` holds no process: a live runner always has
    its own processes there, even one in another PID namespace.
    """
    with contextlib.suppress(OSError), os.scandir(parent) as entries:
        for entry in list(entries):
            pid = entry.name.removeprefix("tutor-")
            if entry.name == pid or not pid.isdigit() or Path(f"/proc/{pid}").exists():
                continue
            try:
                if Path(entry.path, "runner", "cgroup.procs").read_text().strip():
                    continue
            except FileNotFoundError:
                pass
            except OSError:
                continue
            with contextlib.suppress(OSError), os.scandir(f"{entry.path}/kids") as kids:
                for kid in list(kids):
                    if kid.is_dir(follow_symlinks=False):
                        _rmdir_when_idle(kid.path, 1)
            for path in (f"{entry.path}/kids", f"{entry.path}/runner", entry.path):
                _rmdir_when_idle(path, 1)


@dataclass(frozen=True)
class Kids:
    """The runner's ``kids`` cgroup(s), as seen inside its jail: one ``cN`` per child."""

    version: int
    dirs: tuple[str, ...]

    def create(self, name: str) -> None:
        """A cgroup for a child about to be forked (idle limits until it gets a job)."""
        for top in self.dirs:
            Path(f"{top}/{name}").mkdir(0o755)
        self._set(name, "pids.max", str(PIDS_PER_CHILD))
        self.limit_memory(name, IDLE_MEMORY_MB)

    def join(self, name: str) -> None:
        """Move the calling process into ``name`` (in the child, before anything else)."""
        for top in self.dirs:
            _write(f"{top}/{name}/cgroup.procs", "0")

    def limit_memory(self, name: str, megabytes: int) -> None:
        value = str(megabytes * 2**20)
        if self.version == 1:
            self._set(name, "memory.limit_in_bytes", value)
        else:
            self._set(name, "memory.max", value)
            with contextlib.suppress(OSError):
                self._set(name, "memory.swap.max", "0")

    def oom_kills(self, name: str) -> int:
        """How many processes of ``name`` the kernel killed for exceeding its memory."""
        events = "memory.oom_control" if self.version == 1 else "memory.events"
        try:
            text = Path(self._file(name, "memory", events)).read_text()
        except OSError:
            return 0
        for line in text.splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value or 0)
        return 0

    def remove(self, name: str) -> bool:
        """Remove ``name`` (its processes must have ended); False if something is left."""
        done = True
        for top in self.dirs:
            try:
                Path(f"{top}/{name}").rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                done = False
        return done

    def _file(self, name: str, controller: str, filename: str) -> str:
        top = self.dirs[0] if self.version == 2 else self.dirs[V1_CONTROLLERS.index(controller)]
        return f"{top}/{name}/{filename}"

    def _set(self, name: str, filename: str, value: str) -> None:
        _write(self._file(name, filename.split(".")[0], filename), value)


class Slots:
    """Children's cgroups, reused: making and removing a memory cgroup costs about a
    millisecond of CPU, as much as a whole check; a slot is reused once its child (and
    so its whole PID namespace) has ended.  Out-of-memory kills are counted per slot,
    so each child is judged by the kills since it took the slot."""

    def __init__(self, kids: Kids) -> None:
        self.kids = kids
        self.free: list[tuple[str, int]] = []  # (name, out-of-memory kills so far)
        self.count = 0

    def take(self) -> tuple[str, int]:
        """A slot for a child about to be forked, and its kill count so far."""
        if self.free:
            return self.free.pop()
        self.count += 1
        name = f"c{self.count}"
        try:
            self.kids.create(name)
        except OSError:
            self.kids.remove(name)
            raise
        return name, 0

    def give_back(self, name: str, kills_before: int) -> bool:
        """The slot's child has ended: whether it ran out of memory."""
        kills = self.kids.oom_kills(name)
        self.free.append((name, kills))
        return kills > kills_before

    def close(self) -> None:
        """Remove the free slots (the runner's outer process removes what is left)."""
        for name, _ in self.free:
            self.kids.remove(name)
        self.free.clear()
