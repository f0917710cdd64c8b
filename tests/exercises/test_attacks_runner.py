"""Hostile instructor checks: the grading runner runs them confined, started as root or not.

A check edited in the course editor is Python running in the grading runner.  These
checks try what broke out of the old runner (uid 0 with every capability and no
seccomp when Tutor runs as root): ``open_by_handle_at`` on the host's root inode,
``/proc/1/root``, the data directory and its session secret, capabilities, namespaces
and mounts.  Each check gathers what it found and asserts it equals what a confined
runner sees, so a failure shows exactly what escaped.  (Against the previous runner
every one of these checks failed: full capabilities, ``name_to_handle_at`` and
``unshare`` allowed, uid 0 unmapped, an AF_VSOCK socket created.  They are not run
outside the sandbox here: as root they would really unshare, chroot and ptrace the
test process.)
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader
from exercises.verdict import Verdict

SECRET = "runner-escape-secret-4b7e1f"
SUBMISSION = "def probe():\n    return 'safe'\n"

ESCAPE_CHECK = r'''
import ctypes, errno, os, struct

libc = ctypes.CDLL(None, use_errno=True)


def attempt(*args, returns_fd=False):
    result = libc.syscall(*args)
    if result < 0:
        return errno.errorcode.get(ctypes.get_errno(), "?")
    if returns_fd:
        os.close(result)
    return "ok"


def status():
    with open("/proc/self/status") as fh:
        fields = dict(line.split(":", 1) for line in fh if ":" in line)
    return {k: fields[k].strip() for k in ("CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs")}


def host_root_by_handle():
    """The 'shocker' escape: open the filesystem's root inode (2) by its file handle."""
    mount_fd = os.open("/usr", os.O_RDONLY | os.O_DIRECTORY)
    handle = ctypes.create_string_buffer(struct.pack("=II", 8, 1) + struct.pack("=IQ", 2, 0))
    try:
        return attempt(304, mount_fd, handle, os.O_RDONLY | os.O_DIRECTORY, returns_fd=True)
    finally:
        os.close(mount_fd)


def own_handle():
    buf = ctypes.create_string_buffer(struct.pack("=II", 128, 0) + bytes(128))
    mount_id = ctypes.c_int()
    return attempt(303, -100, b"/usr", buf, ctypes.byref(mount_id), 0)


def readable(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(64)
    except OSError as exc:
        return errno.errorcode.get(exc.errno, "?")


def same_root():
    try:
        return os.stat("/proc/1/root/").st_ino == os.stat("/").st_ino
    except OSError as exc:
        return errno.errorcode.get(exc.errno, "?")


def test_escape():
    found = {
        "status": status(),
        "open_by_handle_at(host root)": host_root_by_handle(),
        "name_to_handle_at": own_handle(),
        "unshare(CLONE_NEWUSER)": attempt(272, 0x10000000),
        "mount tmpfs": attempt(165, b"none", b"/tmp", b"tmpfs", 0, None),
        "chroot": attempt(161, b"/proc/1/root"),
        "ptrace(PTRACE_TRACEME)": attempt(101, 0, 0, 0, 0),
        "secret": readable(SECRET_PATH),
        "data dir": os.path.exists(DATA_DIR),
        "repository": os.path.exists(REPOSITORY),
        "/etc/shadow": os.path.exists("/etc/shadow"),
        "/proc/1/root/etc/passwd": readable("/proc/1/root/etc/passwd")[:7],
        "/proc/1/root is /": same_root(),
    }
    assert found == EXPECTED
'''

CONFINED = {
    "status": {
        "CapEff": "0000000000000000",
        "CapPrm": "0000000000000000",
        "CapBnd": "0000000000000000",
        "CapAmb": "0000000000000000",
        "NoNewPrivs": "1",
    },
    "open_by_handle_at(host root)": "EPERM",
    "name_to_handle_at": "EPERM",
    "unshare(CLONE_NEWUSER)": "EPERM",
    "mount tmpfs": "EPERM",
    "chroot": "EPERM",
    "ptrace(PTRACE_TRACEME)": "EPERM",
    "secret": "ENOENT",
    "data dir": False,
    "repository": False,
    "/etc/shadow": False,
    "/proc/1/root/etc/passwd": b"sandbox",
    "/proc/1/root is /": True,
}


def _exercise(checks: str) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="escape",
        title="Escape",
        prompt="Return 'safe'.",
        starter="",
        solution=SUBMISSION,
        checks=checks,
        limits=Limits(time_s=5, memory_mb=128, output_kb=16),
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("tutor-data")
    (path / "session_secret").write_text(SECRET)
    (path / "tutor.sqlite3").write_text(SECRET)
    saved = os.environ.get("TUTOR_DATA_DIR")
    os.environ["TUTOR_DATA_DIR"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("TUTOR_DATA_DIR", None)
    else:
        os.environ["TUTOR_DATA_DIR"] = saved


def _escape_check(data_dir: Path) -> str:
    repository = Path(__file__).resolve().parents[2] / "pyproject.toml"
    return (
        f"SECRET_PATH = {str(data_dir / 'session_secret')!r}\n"
        f"DATA_DIR = {str(data_dir)!r}\n"
        f"REPOSITORY = {str(repository)!r}\n"
        f"EXPECTED = {CONFINED!r}\n" + ESCAPE_CHECK
    )


def _grade(grader: Grader, checks: str) -> Verdict:
    return grader.grade(_exercise(checks), SUBMISSION)


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the seccomp filter is x86_64-only")
def test_an_instructor_check_cannot_leave_the_runner(grader: Grader, data_dir: Path) -> None:
    verdict = _grade(grader, _escape_check(data_dir))
    assert verdict.passed, verdict.checks[0].message


def test_root_in_the_runner_is_not_root_on_the_host(grader: Grader) -> None:
    checks = (
        "def test_ids():\n"
        "    uid_map = open('/proc/self/uid_map').read().split()\n"
        "    assert uid_map[:3] == ['0', str(EXPECTED), '1'], uid_map\n"
        f"EXPECTED = {os.geteuid() if os.geteuid() else 65533}\n"
    )
    verdict = _grade(grader, checks)
    assert verdict.passed, verdict.checks[0].message


def test_a_check_cannot_create_a_vsock_socket(grader: Grader) -> None:
    checks = (
        "import socket\n"
        "def test_vsock():\n"
        "    try:\n"
        "        socket.socket(40, socket.SOCK_STREAM)\n"  # AF_VSOCK
        "    except OSError as exc:\n"
        "        assert exc.errno == 97, exc\n"  # EAFNOSUPPORT
        "    else:\n"
        "        raise AssertionError('an AF_VSOCK socket was created')\n"
    )
    verdict = _grade(grader, checks)
    assert verdict.passed, verdict.checks[0].message
