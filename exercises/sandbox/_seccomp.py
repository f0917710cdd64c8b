"""A small seccomp filter for learner children (x86_64): deny what no exercise needs.

Denied with EPERM: debugging other processes (ptrace, process_vm_*), namespaces and
mounts (unshare, setns, mount, umount2, pivot_root, chroot, clone with CLONE_NEW*),
kernel keyrings, bpf, perf events, userfaultfd, io_uring, module loading, kexec,
reboot, swap, accounting, quotas, file handles; x32-ABI calls.  Sockets other than
AF_UNIX, AF_INET and AF_INET6 fail with EAFNOSUPPORT.  Learner children and the
grading runner (which runs instructor checks) both load it.  ``clone3`` answers
ENOSYS so libc falls back to ``clone``, whose flags the filter can inspect.  Other
architectures get no filter (the namespaces, uid and rlimits still apply).
"""

from __future__ import annotations

import ctypes
import errno
import platform
from typing import Any

from exercises.sandbox import _linux

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000
LD_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K
RET = 0x06  # BPF_RET | BPF_K
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16

DENIED_X86_64 = {
    "ptrace": 101,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "mount": 165,
    "umount2": 166,
    "pivot_root": 155,
    "chroot": 161,
    "unshare": 272,
    "setns": 308,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "bpf": 321,
    "perf_event_open": 298,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "init_module": 175,
    "finit_module": 313,
    "delete_module": 176,
    "kexec_load": 246,
    "kexec_file_load": 320,
    "reboot": 169,
    "swapon": 167,
    "swapoff": 168,
    "acct": 163,
    "quotactl": 179,
    "open_by_handle_at": 304,
    "name_to_handle_at": 303,
    "fsopen": 430,
    "fsmount": 432,
    "move_mount": 429,
    "open_tree": 428,
}
CLONE = 56
CLONE3 = 435
SOCKET = 41
SOCKETPAIR = 53
SOCKET_FAMILIES = {"AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10}
"""The only socket families allowed; others (AF_VSOCK, AF_NETLINK, AF_PACKET...) fail
with EAFNOSUPPORT.  vsock, for one, is not confined by a network namespace."""
NAMESPACE_FLAGS = (
    _linux.CLONE_NEWNS
    | _linux.CLONE_NEWUTS
    | _linux.CLONE_NEWIPC
    | _linux.CLONE_NEWUSER
    | _linux.CLONE_NEWPID
    | _linux.CLONE_NEWNET
    | 0x02000000  # CLONE_NEWCGROUP
)


class _Instruction(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


Instruction = tuple[int, int, int, int]


def program() -> list[Instruction]:
    """The filter as (code, jt, jf, k) instructions."""
    deny = (RET, 0, 0, RET_ERRNO | errno.EPERM)
    prog: list[Instruction] = [
        (LD_ABS, 0, 0, OFFSET_ARCH),
        (JEQ, 1, 0, AUDIT_ARCH_X86_64),
        (RET, 0, 0, RET_KILL_PROCESS),
        (LD_ABS, 0, 0, OFFSET_NR),
        (JGE, 0, 1, X32_SYSCALL_BIT),
        deny,
        (JEQ, 0, 1, CLONE3),
        (RET, 0, 0, RET_ERRNO | errno.ENOSYS),
    ]
    for number in sorted(DENIED_X86_64.values()):
        prog += [(JEQ, 0, 1, number), deny]
    prog += _socket_families()
    prog += [
        (JEQ, 0, 3, CLONE),
        (LD_ABS, 0, 0, OFFSET_ARG0),
        (JSET, 0, 1, NAMESPACE_FLAGS),
        deny,
        (RET, 0, 0, RET_ALLOW),
    ]
    return prog


def _socket_families() -> list[Instruction]:
    """``socket`` and ``socketpair``: allow the listed families, refuse the others.

    Expects the syscall number in the accumulator and leaves it there when neither.
    """
    families = sorted(SOCKET_FAMILIES.values())
    prog: list[Instruction] = [
        (JEQ, 1, 0, SOCKET),
        (JEQ, 0, len(families) + 3, SOCKETPAIR),  # neither: past the two returns
        (LD_ABS, 0, 0, OFFSET_ARG0),
    ]
    for i, family in enumerate(families):
        prog.append((JEQ, len(families) - i, 0, family))
    prog += [
        (RET, 0, 0, RET_ERRNO | errno.EAFNOSUPPORT),
        (RET, 0, 0, RET_ALLOW),
    ]
    return prog


def supported() -> bool:
    return platform.machine() == "x86_64"


_prepared: list[Any] = []


def prepare() -> None:
    """Build the filter's ``sock_fprog`` once (in the zygote); children only load it."""
    if _prepared or not supported():
        return
    instructions = program()
    array = (_Instruction * len(instructions))(*(_Instruction(*i) for i in instructions))
    prog = _Program(len(instructions), ctypes.cast(array, ctypes.POINTER(_Instruction)))
    _prepared.extend([array, prog])


def install() -> None:
    """Load the filter into this process (needs no_new_privs); a no-op off x86_64."""
    if not supported():
        return
    prepare()
    prog = _prepared[1]
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)
    _linux.prctl_pointer(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(prog))
