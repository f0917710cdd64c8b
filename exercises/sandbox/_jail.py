"""Namespaces and mounts: the grading runner's jail and each learner child's confinement.

The runner enters its jail once, at start: new mount, network (loopback down, no
interfaces), IPC, UTS and PID namespaces, and a fresh root on tmpfs holding read-only
bind mounts of only what Python needs (the interpreter prefix, site-packages, shared
libraries, a few device nodes), then ``pivot_root`` with the old root detached.  Each
learner child then adds, ahead of demand, its own PID, mount and IPC namespaces, a
fresh ``/proc`` and a private tmpfs ``/tmp``, drops to an unprivileged uid inside a
new user namespace with no capabilities and ``no_new_privs``.
"""

from __future__ import annotations

import os
import signal
import site
import sys
from dataclasses import dataclass
from pathlib import Path

from exercises.sandbox import _linux, _seccomp

SANDBOX_UID = 65534  # the host uid of learner code when the runner starts as root
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


def _plan(ro_dirs: list[str]) -> list[_Mount]:
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
    return plan


def _place(item: _Mount, root: str) -> None:
    target = Path(root + item.path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if item.link is not None:
        target.symlink_to(item.link)
        return
    if item.is_dir:
        target.mkdir(exist_ok=True)
    else:
        target.touch()
    _bind_readonly(f"/proc/self/fd/{item.fd}", str(target), device=item.device)
    os.close(item.fd)


def _write_id_maps(inner: int, outer_uid: int, outer_gid: int) -> None:
    proc = Path("/proc/self")
    (proc / "setgroups").write_text("deny")
    (proc / "uid_map").write_text(f"{inner} {outer_uid} 1\n")
    (proc / "gid_map").write_text(f"{inner} {outer_gid} 1\n")


def _build_root(ro_dirs: list[str], tmp_dir: str) -> None:
    root = NEW_ROOT
    _linux.mount(None, "/", None, _linux.MS_REC | _linux.MS_PRIVATE)
    plan = _plan(ro_dirs)
    _linux.mount("tmpfs", root, "tmpfs", _linux.MS_NOSUID | _linux.MS_NODEV, "size=1m,mode=755")
    for item in plan:
        _place(item, root)
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


def _wait_and_exit(pid: int) -> None:
    """The outer runner process: wait for the jailed runner and mirror its exit."""
    for fd in range(3):
        os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            os._exit(1)
        code = os.waitstatus_to_exitcode(status)
        os._exit(code if code >= 0 else 128 - code)


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


def enter_runner_jail(exclude: tuple[str, ...] = ()) -> JailState:
    """Confine this process (the grading runner); raises NamespacesRefused if refused.

    Returns in a forked process that is PID 1 of the runner's PID namespace; the
    original process only waits for it.
    """
    euid, egid = os.geteuid(), os.getegid()
    flags = (
        _linux.CLONE_NEWNS
        | _linux.CLONE_NEWNET
        | _linux.CLONE_NEWIPC
        | _linux.CLONE_NEWUTS
        | _linux.CLONE_NEWPID
    )
    if euid != 0:
        flags |= _linux.CLONE_NEWUSER
    ro_dirs = python_dirs(exclude)
    probe_user_namespaces()
    try:
        _linux.unshare(flags)
        if euid != 0:
            _write_id_maps(0, euid, egid)
    except OSError as exc:
        raise NamespacesRefused(f"the kernel refused namespaces ({exc.strerror})") from exc
    pid = os.fork()
    if pid:
        _wait_and_exit(pid)
    _linux.prctl(_linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    tmp_dir = private_tmp_dir(ro_dirs)
    try:
        _build_root(ro_dirs, tmp_dir)
        _linux.sethostname("sandbox")
    except OSError as exc:
        raise NamespacesRefused(f"the sandbox's root could not be built ({exc})") from exc
    _linux.prctl(_linux.PR_SET_DUMPABLE, 0)
    return JailState(strict=True, host_root=euid == 0, tmp_dir=tmp_dir)


CHILD_NAMESPACES = (
    _linux.CLONE_NEWPID
    | _linux.CLONE_NEWNS
    | _linux.CLONE_NEWIPC
    | _linux.CLONE_NEWNET
    | _linux.CLONE_NEWUTS
)
"""Each learner child is forked into fresh PID, mount, IPC, network and UTS namespaces."""


def confine_child(state: JailState, tmp_mb: int = 32) -> None:
    """In the learner child (PID 1 of its namespace): private /proc and tmp, no privileges."""
    nodev = _linux.MS_NOSUID | _linux.MS_NODEV
    _linux.mount("proc", "/proc", "proc", nodev | _linux.MS_NOEXEC)
    tmp = state.tmp_dir
    _linux.mount("tmpfs", tmp, "tmpfs", nodev, f"size={tmp_mb}m,nr_inodes=4096,mode=1777")
    os.chdir(tmp)
    os.setsid()
    outer = 0
    if state.host_root:
        os.setgroups([])
        os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        _linux.prctl(_linux.PR_SET_DUMPABLE, 1)
        outer = SANDBOX_UID
    _linux.unshare(_linux.CLONE_NEWUSER)
    _write_id_maps(INNER_UID, outer, outer)
    drop_privileges()


def drop_privileges() -> None:
    _linux.drop_capabilities()
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
    _seccomp.install()


def confine_weak_child(workdir: str) -> None:
    """Weak mode: no namespaces; a new session, a private work dir, an unprivileged uid."""
    os.setsid()
    os.chdir(workdir)
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
