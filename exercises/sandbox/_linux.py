"""Thin ctypes wrappers over the Linux calls the sandbox needs (Python 3.11 has no os.unshare)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_NAME = 15
PR_SET_NO_NEW_PRIVS = 38

_SYSCALLS = {
    "x86_64": {"pivot_root": 155, "capset": 126},
    "aarch64": {"pivot_root": 41, "capset": 91},
}

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_libc.unshare.argtypes = [ctypes.c_int]
_libc.sethostname.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
_libc.prctl.argtypes = [
    ctypes.c_int,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
    ctypes.c_ulong,
]
_libc.syscall.restype = ctypes.c_long


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _b(value: str | None) -> bytes | None:
    return None if value is None else os.fsencode(value)


def _syscall_number(name: str) -> int:
    table = _SYSCALLS.get(platform.machine())
    if table is None:
        raise OSError(0, f"unsupported architecture for the sandbox: {platform.machine()}")
    return table[name]


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    _check(_libc.mount(_b(source), _b(target), _b(fstype), flags, _b(data)), f"mount {target}")


def umount2(target: str, flags: int) -> None:
    _check(_libc.umount2(_b(target), flags), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    number = _syscall_number("pivot_root")
    _check(_libc.syscall(number, _b(new_root), _b(put_old)), "pivot_root")


def prctl(option: int, arg: int = 0) -> None:
    _check(_libc.prctl(option, arg, 0, 0, 0), f"prctl {option}")


def set_name(name: str) -> None:
    """Set this thread's name (as shown in ``/proc/PID/comm``)."""
    buf = ctypes.create_string_buffer(name.encode()[:15])
    _check(_libc.prctl(PR_SET_NAME, ctypes.addressof(buf), 0, 0, 0), "prctl name")


def sethostname(name: str) -> None:
    raw = name.encode()
    _check(_libc.sethostname(raw, len(raw)), "sethostname")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities() -> None:
    """Clear the effective, permitted and inheritable capability sets of this thread."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    number = _syscall_number("capset")
    _check(_libc.syscall(number, ctypes.byref(header), ctypes.byref(data)), "capset")


_pylibc = ctypes.PyDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_pylibc.syscall.restype = ctypes.c_long
_SIGCHLD = 17
_CLONE = {"x86_64": 56, "aarch64": 220}


def fork_into(flags: int) -> int:
    """``fork()`` whose child starts in new namespaces (``clone`` with ``flags``).

    With ``CLONE_NEWPID`` the child is PID 1 of a fresh PID namespace, so killing it
    kills everything it started.  Python's fork hooks run as for ``os.fork``.
    """
    number = _CLONE.get(platform.machine())
    if number is None:
        raise OSError(0, f"unsupported architecture for the sandbox: {platform.machine()}")
    ctypes.pythonapi.PyOS_BeforeFork()
    pid = _pylibc.syscall(number, ctypes.c_ulong(flags | _SIGCHLD), None, None, None, None)
    if pid == 0:
        ctypes.pythonapi.PyOS_AfterFork_Child()
        return 0
    errno = ctypes.get_errno()
    ctypes.pythonapi.PyOS_AfterFork_Parent()
    if pid < 0:
        raise OSError(errno, f"clone: {os.strerror(errno)}")
    return int(pid)


def prctl_pointer(option: int, arg2: int, pointer: int) -> None:
    """``prctl(option, arg2, pointer)`` for options that take an address."""
    _check(_libc.prctl(option, arg2, pointer, 0, 0), f"prctl {option}")


MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
HUGE_PAGE = 1 << 21
_libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]


def _writable_anonymous_ranges() -> list[tuple[int, int]]:
    """Huge-page-aligned parts of this process's writable anonymous mappings."""
    ranges = []
    with Path("/proc/self/maps").open() as fh:
        for line in fh:
            fields = line.split()
            name = fields[5] if len(fields) > 5 else ""
            if "w" not in fields[1] or name not in ("", "[heap]"):
                continue
            low, high = (int(x, 16) for x in fields[0].split("-"))
            start = (low + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1)
            end = high & ~(HUGE_PAGE - 1)
            if end > start:
                ranges.append((start, end))
    return ranges


def collapse_huge_pages() -> int:
    """Back this process's heap with transparent huge pages where the kernel can.

    A fork then copies one page-table entry per 2 MB instead of 512, and the child's
    exit frees as few; pages a child writes are still copied 4 KB at a time.  Returns
    the bytes collapsed (0 where ``MADV_COLLAPSE``, Linux 6.1+, is unsupported).
    """
    done = 0
    for start, end in _writable_anonymous_ranges():
        _libc.madvise(start, end - start, MADV_HUGEPAGE)
        if _libc.madvise(start, end - start, MADV_COLLAPSE) == 0:
            done += end - start
    return done


def malloc_trim() -> None:
    """Give free heap memory back to the system (glibc); a no-op elsewhere."""
    trim = getattr(_libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


PR_CAPBSET_DROP = 24
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4


def _last_capability() -> int:
    try:
        return int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        return 40


_LAST_CAP = _last_capability()


def drop_all_capabilities() -> None:
    """No capability left: bounding and ambient sets emptied, then every other set.

    Needs ``CAP_SETPCAP`` (in the current user namespace) for the bounding set.
    """
    for cap in range(_LAST_CAP + 1):
        _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "prctl capbset_drop")
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl ambient")
    drop_capabilities()


def in_initial_user_namespace() -> bool:
    """Whether this process is in the host's user namespace (its uid map is the identity)."""
    try:
        return Path("/proc/self/uid_map").read_text().split() == ["0", "0", "4294967295"]
    except OSError:
        return False


def has_capabilities() -> bool:
    """Whether this process has any effective capability (in its user namespace)."""
    with Path("/proc/self/status").open() as fh:
        for line in fh:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16) != 0
    return False


IDLE_NICE = 19


def lowest_cpu_priority() -> str:
    """Make this process (and all it forks from now on) run only on otherwise idle CPU.

    ``SCHED_IDLE`` where the kernel has it, and nice 19 in any case (the fallback, and
    what an idle-policy task would return to).  Lowering one's own priority needs no
    privilege; raising it back needs ``CAP_SYS_NICE`` in the host's user namespace, which
    nothing in the sandbox has.  Returns the policy now in force: ``idle`` or ``nice``.
    """
    os.setpriority(os.PRIO_PROCESS, 0, IDLE_NICE)
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        return "nice"
    return "idle"
