"""Namespaces and mounts: the grading runner's jail and each learner child's confinement.

The runner enters its jail once, at start: it is forked into new user (uid 0 inside,
never root outside), mount, network (loopback down, no interfaces), IPC, UTS and PID
namespaces, and builds a fresh root on tmpfs holding read-only bind mounts of only
what Python needs (the interpreter prefix, site-packages with the bundled courses
hidden, shared libraries, a few device nodes) and its children's cgroups, then
``pivot_root`` with the old root detached.  Once its zygote is forked it drops every
capability (:func:`confine_runner`).  Each learner child then adds, ahead of demand,
its own cgroup, PID, mount, IPC, network and UTS namespaces, a fresh ``/proc`` and a
private tmpfs ``/tmp``, and drops to an unprivileged uid inside a new user namespace
with no capabilities, ``no_new_privs`` and seccomp.
"""

from __future__ import annotations

import os
import select
import signal
import site
import sys
from dataclasses import dataclass
from pathlib import Path

from exercises.sandbox import _cgroups, _linux, _outer, _seccomp

SANDBOX_UID = 65534  # the host uid of learner code when the runner starts as root
RUNNER_UID = 65533  # the host uid of the runner (and its checks) when it starts as root
INNER_UID = 1000  # the uid learner code sees inside its user namespace
LIB_DIRS = ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib")
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime")
DEV_FILES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
NEW_ROOT = "/tmp"  # noqa: S108 - a tmpfs is mounted over it inside our own mount namespace
PASSWD = f"sandbox:x:{INNER_UID}:{INNER_UID}:sandbox:/tmp:/bin/false\n"


class NamespacesRefused(RuntimeError):
    """The kernel refused the namespaces the sandbox needs."""


@dataclass(frozen=True)
class JailState:
    """How the runner was confined, which decides how its children drop privileges."""

    strict: bool
    host_root: bool
    tmp_dir: str = "/tmp"  # noqa: S108 - each child mounts its own tmpfs here
    kids: _cgroups.Kids | None = None  # None: memory and processes bounded by rlimits only

    @property
    def limits(self) -> str:
        """How memory and processes are bounded: per sandbox ("cgroup") or per process."""
        return "cgroup" if self.kids is not None else "rlimit"


def private_tmp_dir(ro_dirs: list[str]) -> str:
    """``/tmp``, unless Python itself lives under /tmp (a child's tmpfs would hide it)."""
    inside = [d for d in ro_dirs if d == "/tmp" or d.startswith("/tmp/")]  # noqa: S108
    return "/scratch" if inside else "/tmp"  # noqa: S108


def python_dirs(exclude: tuple[str, ...] = ()) -> list[str]:
    """Directories Python needs at run time: the prefix and every site-packages."""
    candidates = [sys.base_prefix, *site.getsitepackages()]
    candidates += [p for p in sys.path if p.endswith("-packages")]
    found = [os.path.realpath(p) for p in candidates if p and Path(p).is_dir()]
    found = [p for p in found if not any(p == e or p.startswith(e + "/") for e in exclude)]
    return _outermost(found)


def _outermost(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path == k or path.startswith(k + "/") for k in kept):
            kept.append(path)
    return kept


def _bind_readonly(source: str, target: str, *, device: bool = False) -> None:
    _linux.mount(source, target, None, _linux.MS_BIND | _linux.MS_REC)
    flags = _linux.MS_BIND | _linux.MS_REMOUNT | _linux.MS_RDONLY | _linux.MS_NOSUID
    if not device:
        flags |= _linux.MS_NODEV
    _linux.mount(None, target, None, flags)


@dataclass(frozen=True)
class _Mount:
    """Something to show read-only in the new root, opened before the root is built."""

    path: str
    fd: int = -1
    link: str | None = None
    is_dir: bool = True
    device: bool = False
    target: str | None = None  # where it appears, if not at ``path``
    writable: bool = False


def _plan(ro_dirs: list[str], groups: _cgroups.Groups | None, tmp_dir: str) -> list[_Mount]:
    """Open every source first: the tmpfs of the new root may hide some of them."""
    links = [d for d in LIB_DIRS if Path(d).is_symlink()]
    dirs = _outermost([*ro_dirs, *(d for d in LIB_DIRS if Path(d).is_dir() and d not in links)])
    plan = [_Mount(d, link=str(Path(d).readlink())) for d in links]
    plan += [_Mount(d, os.open(d, os.O_PATH | os.O_CLOEXEC)) for d in dirs]
    plan += [
        _Mount(f, os.open(f, os.O_PATH | os.O_CLOEXEC), is_dir=False)
        for f in ETC_FILES
        if Path(f).is_file()
    ]
    plan += [
        _Mount(f, os.open(f, os.O_PATH | os.O_CLOEXEC), is_dir=False, device=True)
        for f in DEV_FILES
        if Path(f).exists()
    ]
    if groups is not None:
        plan += [
            _Mount(d, os.open(d, os.O_PATH | os.O_CLOEXEC), target=t, writable=True)
            for d, t in zip(groups.kids(), groups.jailed(tmp_dir).dirs, strict=True)
        ]
    return plan


def _place(item: _Mount, root: str) -> None:
    target = Path(root + (item.target or item.path))
    target.parent.mkdir(parents=True, exist_ok=True)
    if item.link is not None:
        target.symlink_to(item.link)
        return
    if item.is_dir:
        target.mkdir(exist_ok=True)
    else:
        target.touch()
    if item.writable:
        _bind_writable(f"/proc/self/fd/{item.fd}", str(target))
    else:
        _bind_readonly(f"/proc/self/fd/{item.fd}", str(target), device=item.device)
    os.close(item.fd)


def _bind_writable(source: str, target: str) -> None:
    _linux.mount(source, target, None, _linux.MS_BIND)
    flags = _linux.MS_NOSUID | _linux.MS_NODEV | _linux.MS_NOEXEC
    _linux.mount(None, target, None, _linux.MS_BIND | _linux.MS_REMOUNT | flags)


def _hide(paths: tuple[str, ...], ro_dirs: list[str], root: str) -> None:
    """Show each of ``paths`` that lies inside a mounted directory as an empty one."""
    for path in set(paths):
        inside = any(path == d or path.startswith(d + "/") for d in ro_dirs)
        if inside and Path(root + path).is_dir():
            flags = _linux.MS_RDONLY | _linux.MS_NOSUID | _linux.MS_NODEV | _linux.MS_NOEXEC
            _linux.mount("tmpfs", root + path, "tmpfs", flags, "size=4k,mode=555")


def _write_id_maps(inner: int, outer_uid: int, outer_gid: int) -> None:
    proc = Path("/proc/self")
    (proc / "setgroups").write_text("deny")
    (proc / "uid_map").write_text(f"{inner} {outer_uid} 1\n")
    (proc / "gid_map").write_text(f"{inner} {outer_gid} 1\n")


def _build_root(
    plan: list[_Mount], ro_dirs: list[str], tmp_dir: str, hide: tuple[str, ...]
) -> None:
    root = NEW_ROOT
    _linux.mount(None, "/", None, _linux.MS_REC | _linux.MS_PRIVATE)
    _linux.mount("tmpfs", root, "tmpfs", _linux.MS_NOSUID | _linux.MS_NODEV, "size=1m,mode=755")
    for item in plan:
        _place(item, root)
    _hide(hide, ro_dirs, root)
    for name in ("proc", tmp_dir.lstrip("/"), ".old"):
        Path(root, name).mkdir(parents=True, exist_ok=True)
    Path(root, "etc").mkdir(exist_ok=True)
    Path(root, "etc", "passwd").write_text(PASSWD)
    _linux.mount(
        "proc", f"{root}/proc", "proc", _linux.MS_NOSUID | _linux.MS_NODEV | _linux.MS_NOEXEC
    )
    _linux.pivot_root(root, f"{root}/.old")
    os.chdir("/")
    _linux.umount2("/.old", _linux.MNT_DETACH)
    Path("/.old").rmdir()
    _linux.mount(None, "/", None, _linux.MS_BIND | _linux.MS_REMOUNT | _linux.MS_RDONLY)


def probe_user_namespaces() -> None:
    """Fail early if learner children will not be able to create their user namespace."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            if os.geteuid() == 0:
                os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
                os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
            _linux.unshare(_linux.CLONE_NEWUSER)
        except OSError as exc:
            code = exc.errno or 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code:
        reason = os.strerror(code) if code > 0 else f"signal {-code}"
        raise NamespacesRefused(f"the kernel refused user namespaces ({reason})")


RUNNER_NAMESPACES = (
    _linux.CLONE_NEWUSER
    | _linux.CLONE_NEWNS
    | _linux.CLONE_NEWNET
    | _linux.CLONE_NEWIPC
    | _linux.CLONE_NEWUTS
    | _linux.CLONE_NEWPID
)
"""The runner is forked into its own user, mount, network, IPC, UTS and PID namespaces."""


def _id_maps(host_root: bool, euid: int, egid: int) -> tuple[str, str]:
    """The runner's uid and gid maps: root inside is never root outside."""
    if host_root:
        both = f"0 {RUNNER_UID} 1\n{INNER_UID} {SANDBOX_UID} 1\n"
        return both, both
    return f"0 {euid} 1\n", f"0 {egid} 1\n"


def enter_runner_jail(exclude: tuple[str, ...] = (), hide: tuple[str, ...] = ()) -> JailState:
    """Confine this process (the grading runner); raises NamespacesRefused if refused.

    Returns in a forked process that is PID 1 of the runner's namespaces and uid 0 of
    its own user namespace, which is ``RUNNER_UID`` on the host when started as root
    (else the caller's uid).  The original process maps its ids, moves it into its
    cgroups, drops every capability and only waits for it.  ``hide`` lists host
    paths shown as empty directories if they lie inside what the jail shows.
    """
    euid, egid = os.geteuid(), os.getegid()
    host_root = euid == 0
    ro_dirs = python_dirs(exclude)
    probe_user_namespaces()
    if host_root:
        os.setgroups([])
    owner = RUNNER_UID if host_root else None
    groups = _cgroups.create(os.getpid(), owner)
    ready_r, ready_w = os.pipe()
    try:
        pid = _linux.fork_into(RUNNER_NAMESPACES)
    except OSError as exc:
        _outer.cleanup(groups, owner)
        raise NamespacesRefused(f"the kernel refused namespaces ({exc.strerror})") from exc
    if pid:
        os.close(ready_r)
        _outer.start(pid, ready_w, groups, _id_maps(host_root, euid, egid), owner)
        _outer.wait_and_exit(pid, groups, owner)
    os.close(ready_w)
    _await_maps(ready_r)
    tmp_dir = private_tmp_dir(ro_dirs)
    try:
        plan = _plan(ro_dirs, groups, tmp_dir)  # opened as our host uid: /root may be 0700
        _become_mapped_root(ready_r)
        _build_root(plan, ro_dirs, tmp_dir, hide)
        _linux.sethostname("sandbox")
    except OSError as exc:
        raise NamespacesRefused(f"the sandbox's root could not be built ({exc})") from exc
    _linux.prctl(_linux.PR_SET_DUMPABLE, 0)
    kids = groups.jailed(tmp_dir) if groups is not None else None
    return JailState(strict=True, host_root=host_root, tmp_dir=tmp_dir, kids=kids)


def _await_maps(ready: int) -> None:
    """In the new runner: wait for the outer process to map our ids."""
    if os.read(ready, 1) != b"1":
        os._exit(1)


def _become_mapped_root(ready: int) -> None:
    """Take uid 0 of our user namespace: ``RUNNER_UID`` on the host (if we were root)."""
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)  # kuid 0 (if we were root) becomes RUNNER_UID, the mapped 0
    _linux.prctl(_linux.PR_SET_PDEATHSIG, signal.SIGKILL)  # cleared by setresuid: set after
    if select.select([ready], [], [], 0)[0]:  # the outer process died before that
        os._exit(1)
    os.close(ready)


CHILD_NAMESPACES = (
    _linux.CLONE_NEWPID
    | _linux.CLONE_NEWNS
    | _linux.CLONE_NEWIPC
    | _linux.CLONE_NEWNET
    | _linux.CLONE_NEWUTS
)
"""Each learner child is forked into fresh PID, mount, IPC, network and UTS namespaces."""


def confine_child(state: JailState, cgroup: str | None, tmp_mb: int = 32) -> None:
    """In the learner child (PID 1 of its namespace): its cgroup, private /proc and tmp
    (which hides the runner's cgroups, mounted beneath it), no privileges."""
    if state.kids is not None and cgroup is not None:
        state.kids.join(cgroup)
    nodev = _linux.MS_NOSUID | _linux.MS_NODEV
    _linux.mount("proc", "/proc", "proc", nodev | _linux.MS_NOEXEC)
    tmp = state.tmp_dir
    _linux.mount("tmpfs", tmp, "tmpfs", nodev, f"size={tmp_mb}m,nr_inodes=4096,mode=1777")
    os.chdir(tmp)
    os.setsid()
    outer = 0
    if state.host_root:  # INNER_UID is SANDBOX_UID on the host
        os.setresgid(INNER_UID, INNER_UID, INNER_UID)
        os.setresuid(INNER_UID, INNER_UID, INNER_UID)
        _linux.prctl(_linux.PR_SET_DUMPABLE, 1)
        outer = INNER_UID
    _linux.unshare(_linux.CLONE_NEWUSER)
    _write_id_maps(INNER_UID, outer, outer)
    drop_privileges()


def drop_privileges() -> None:
    _linux.drop_all_capabilities()
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
    _seccomp.install()


def confine_runner(state: JailState | None) -> None:
    """The runner, once its zygote is forked: it runs instructor checks, so it keeps no
    capability (not even in its own user namespace), gets ``no_new_privs`` and the
    seccomp filter; outside a jail, a runner started as root becomes ``RUNNER_UID``."""
    if os.geteuid() == 0 and _linux.in_initial_user_namespace():
        os.setgroups([])
        os.setresgid(RUNNER_UID, RUNNER_UID, RUNNER_UID)
        os.setresuid(RUNNER_UID, RUNNER_UID, RUNNER_UID)
    if _linux.has_capabilities():
        _linux.drop_all_capabilities()
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
    _seccomp.install()


def confine_weak_child(workdir: str) -> None:
    """Weak mode: no namespaces; a new session, a private work dir, an unprivileged uid,
    ``no_new_privs`` and the seccomp filter."""
    os.setsid()
    os.chdir(workdir)
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
    _seccomp.install()
