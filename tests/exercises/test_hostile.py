"""Hostile submissions: each gets a clear verdict, leaves nothing running, harms nothing else.

Every submission defines ``probe()``; the probe exercise's check asserts it returns
``"safe"``, so the assertion message shows what the hostile code saw.  After each
grading, every process still running as the sandbox uid must be PID 1 of its own
namespace (an idle pre-forked child): a learner process left behind would not be.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader
from exercises.sandbox import SANDBOX_UID
from exercises.verdict import CheckResult, Verdict

SECRET = "hunter2-not-for-learners"
PROBE_CHECKS = """
def test_probe(submission):
    assert submission.call("probe") == "safe"
"""
GOOD = "def probe():\n    return 'safe'\n"


def _exercise(checks: str = PROBE_CHECKS, time_s: float = 0.5) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="probe",
        title="Probe",
        prompt="Return 'safe'.",
        starter="",
        solution=GOOD,
        checks=checks,
        limits=Limits(time_s=time_s, memory_mb=128, output_kb=16),
    )


@pytest.fixture(scope="module")
def hostile_grader() -> Iterator[Grader]:
    saved = {k: os.environ.get(k) for k in ("TUTOR_SESSION_SECRET", "OPENAI_API_KEY")}
    os.environ["TUTOR_SESSION_SECRET"] = SECRET
    os.environ["OPENAI_API_KEY"] = SECRET
    grader = Grader("strict", runners=1)
    try:
        assert grader.grade(_exercise(), GOOD).passed
        yield grader
    finally:
        grader.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _sandbox_processes() -> tuple[set[int], list[str]]:
    """Sandbox-uid processes: PIDs that are PID 1 of their namespace, and all the others."""
    inits, others = set(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uid = int(fields.get("Uid", "-1").split()[0])
        nspid = fields.get("NSpid", "").split()
        state = fields.get("State", "").split()
        if uid != SANDBOX_UID or not nspid or state[:1] == ["Z"]:
            continue
        if nspid[-1] == "1":
            inits.add(int(entry.name))
        else:
            others.append(f"{entry.name} {fields.get('Name', '').strip()} {nspid}")
    return inits, others


def _nothing_left(before: set[int]) -> bool:
    """Every learner process is gone: no stray process, and the child used has ended.

    Each probe check takes one child that was waiting before grading (its PID 1 is in
    ``before``); once it is killed, fewer of those remain.  The runner reaps after it
    replies, so this waits a little for the kernel to finish.
    """
    for _ in range(300):  # up to 15 s: a loaded machine reaps slowly
        inits, others = _sandbox_processes()
        if not others and len(before - inits) >= 1:
            return True
        time.sleep(0.05)
    return False


def _settled() -> set[int]:
    """The idle children once the pool has stopped changing (it refills after each use).

    Read too early, a child forked after this reading could serve the next grading,
    and none of the children read here would be used.
    """
    last, _ = _sandbox_processes()
    for _ in range(100):  # up to 10 s on a loaded machine
        time.sleep(0.1)
        now, others = _sandbox_processes()
        if now == last and now and not others:
            return now
        last = now
    return last


def _grade(grader: Grader, source: str, checks: str = PROBE_CHECKS, time_s: float = 0.5) -> Verdict:
    before = _settled()
    verdict = grader.grade(_exercise(checks, time_s), source)
    assert not verdict.passed, verdict
    assert verdict.checks and all(c.message for c in verdict.failed_checks)
    assert _nothing_left(before), _sandbox_processes()
    return verdict


def _message(verdict: Verdict) -> str:
    return "\n".join(_text(c) for c in verdict.checks) + "\n" + verdict.output


def _text(check: CheckResult) -> str:
    """Everything a learner can read of a check: its plain message and its details."""
    return check.message + "\n" + check.details


def test_fork_bomb(hostile_grader: Grader) -> None:
    source = "import os\ndef probe():\n    while True:\n        os.fork()\n"
    verdict = _grade(hostile_grader, source)
    assert verdict.checks[0].limit in ("processes", "time")


def test_memory_hog(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "def probe():\n    return len(bytearray(2 * 1024**3))\n")
    assert verdict.limit_hit == "stopped: your code used more than 128 MB of memory"


def test_memory_growing_in_a_loop(hostile_grader: Grader) -> None:
    source = "def probe():\n    x = []\n    while True:\n        x.append(' ' * 10**6)\n"
    verdict = _grade(hostile_grader, source, time_s=10)  # the memory limit, not the clock
    assert verdict.checks[0].limit == "memory", _text(verdict.checks[0])


def test_infinite_loop_at_import(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "while True:\n    pass\n")
    assert verdict.limit_hit == "stopped after 0.5 s: your code never finished (an endless loop?)"


def test_infinite_loop_in_the_function(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "def probe():\n    while True:\n        pass\n")
    assert verdict.checks[0].limit == "time"


def test_sleep_forever(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "import time\ndef probe():\n    time.sleep(10**6)\n")
    assert verdict.checks[0].limit == "time"


def test_output_flood_with_print(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "def probe():\n    while True:\n        print('x' * 1000)\n")
    assert verdict.limit_hit == "stopped: your code printed more than 16 KB of output"
    assert len(verdict.output) <= 16 * 1024


def test_output_flood_on_the_raw_descriptors(hostile_grader: Grader) -> None:
    source = "import os\ndef probe():\n    while True:\n        os.write(2, b'y' * 65536)\n"
    assert _grade(hostile_grader, source).checks[0].limit == "output"


def test_deep_recursion_crashing_the_interpreter(hostile_grader: Grader) -> None:
    source = (
        "import sys\nsys.setrecursionlimit(10**8)\n"
        "def f(n):\n    return f(n + 1) + 1\ndef probe():\n    return f(0)\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "crashed" in _text(verdict.checks[0]) or verdict.checks[0].limit is not None


def test_plain_recursion_error(hostile_grader: Grader) -> None:
    source = "def probe():\n    return probe()\n"
    assert "recursed too deeply" in _text(_grade(hostile_grader, source).checks[0])


def test_huge_integer_result(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "def probe():\n    return 10**100000\n")
    assert "returned an integer too large" in _text(verdict.checks[0])


def test_huge_integer_computation(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "def probe():\n    return 10**10**10\n")
    assert verdict.checks[0].limit in ("time", "memory")


def test_socket_to_a_listener_on_loopback(hostile_grader: Grader) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    source = (
        "import socket\ndef probe():\n    try:\n"
        f"        socket.create_connection(('127.0.0.1', {port}), timeout=0.5)\n"
        "        return 'connected'\n    except OSError as exc:\n        return str(exc)\n"
    )
    try:
        verdict = _grade(hostile_grader, source)
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert "unreachable" in _text(verdict.checks[0])


def test_environment_holds_no_secrets(hostile_grader: Grader) -> None:
    source = "import os\ndef probe():\n    print(dict(os.environ))\n    return repr(os.environ)\n"
    verdict = _grade(hostile_grader, source)
    assert SECRET not in _message(verdict)
    assert "HOME" in verdict.output


def test_runner_process_has_an_empty_environment(hostile_grader: Grader) -> None:
    runner = hostile_grader._pool._all[0]
    environ = Path(f"/proc/{runner.proc.pid}/environ").read_bytes()
    assert SECRET.encode() not in environ
    names = sorted(item.split(b"=", 1)[0].decode() for item in environ.split(b"\0") if item)
    assert names == ["LANG", "MALLOC_ARENA_MAX", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"]


def test_database_and_settings_files_are_invisible(hostile_grader: Grader, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "tutor.sqlite3").write_text("SQLite format 3 " + SECRET)
    (tmp_path / ".env").write_text(f"TUTOR_SESSION_SECRET={SECRET}\n")
    paths = [str(data / "tutor.sqlite3"), str(tmp_path / ".env"), "/work/main/pyproject.toml"]
    source = (
        f"PATHS = {paths!r}\n"
        "def probe():\n    seen = []\n    for p in PATHS:\n        try:\n"
        "            seen.append(open(p).read())\n        except OSError as exc:\n"
        "            seen.append(type(exc).__name__)\n    return repr(seen)\n"
    )
    verdict = _grade(hostile_grader, source)
    assert SECRET not in _message(verdict)
    assert str(["FileNotFoundError"] * 3) in _text(verdict.checks[0])


def test_home_and_repository_are_not_visible(hostile_grader: Grader) -> None:
    source = (
        "import os\ndef probe():\n    return repr([(p, os.path.exists(p)) for p in "
        "['/root/.bashrc', '/home', '/work/main/tutor', '/etc/shadow', '/usr/bin']])\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "True" not in _text(verdict.checks[0])


def test_writing_outside_tmp_is_refused(hostile_grader: Grader, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("original")
    scratch = hostile_grader.runner_hello().scratch_dir
    source = (
        "def probe():\n    out = []\n"
        f"    for p in [{str(victim)!r}, '/usr/lib/evil', '/evil', '/etc/passwd']:\n"
        "        try:\n            open(p, 'w').write('pwned')\n            out.append('wrote')\n"
        "        except OSError as exc:\n            out.append(type(exc).__name__)\n"
        f"    open('{scratch}/mine.txt', 'w').write('fine')\n    return repr(out)\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "wrote" not in _text(verdict.checks[0])
    assert "PermissionError" in _text(verdict.checks[0]) or "OSError" in _text(verdict.checks[0])
    assert victim.read_text() == "original"


def test_deleting_outside_tmp_is_refused(hostile_grader: Grader, tmp_path: Path) -> None:
    victim = tmp_path / "keep.txt"
    victim.write_text("keep")
    source = (
        "import os, shutil\ndef probe():\n    out = []\n"
        f"    for p in [{str(victim)!r}, '/etc/passwd', '/usr/lib']:\n"
        "        try:\n            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)\n"
        "            out.append('deleted')\n"
        "        except OSError as exc:\n            out.append(type(exc).__name__)\n"
        "    return repr(out)\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "deleted" not in _text(verdict.checks[0])
    assert victim.exists()


def test_detached_background_process_does_not_outlive_the_check(
    hostile_grader: Grader,
) -> None:
    source = (
        "import ctypes, os, time\ndef probe():\n    if os.fork() == 0:\n        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            ctypes.CDLL(None).prctl(15, b'escapee', 0, 0, 0)\n"
        "            time.sleep(10**6)\n        os._exit(0)\n"
        "    time.sleep(0.2)\n    return 'detached'\n"
    )
    _grade(hostile_grader, source)
    assert "escapee" not in _process_names()


def _process_names() -> list[str]:
    names = []
    for entry in Path("/proc").iterdir():
        try:
            names.append((entry / "comm").read_text().strip())
        except OSError:
            continue
    return names


def test_killing_the_parent_and_the_process_group(hostile_grader: Grader) -> None:
    source = (
        "import os, signal\ndef probe():\n    out = [os.getppid()]\n"
        "    for target in (os.getppid(), 0, -1):\n        try:\n"
        "            os.kill(target, signal.SIGKILL) if target else os.killpg(0, signal.SIGKILL)\n"
        "            out.append('sent')\n        except OSError as exc:\n"
        "            out.append(type(exc).__name__)\n    return repr(out)\n"
    )
    _grade(hostile_grader, source)
    assert hostile_grader.grade(_exercise(), GOOD).passed


def test_subprocesses_stay_in_the_sandbox(hostile_grader: Grader) -> None:
    source = (
        "import subprocess, sys, os\ndef probe():\n    out = []\n"
        "    for cmd in (['/bin/sh', '-c', 'id'], [os.path.realpath(sys.executable), '-c',"
        " 'import socket; socket.create_connection((\"1.1.1.1\", 53), timeout=1)']):\n"
        "        try:\n            r = subprocess.run(cmd, capture_output=True, text=True)\n"
        "            out.append(r.returncode)\n            out.append(r.stderr[-80:])\n"
        "        except OSError as exc:\n            out.append(type(exc).__name__)\n"
        "    return repr(out)\n"
    )
    verdict = _grade(hostile_grader, source)
    message = _text(verdict.checks[0])
    assert "FileNotFoundError" in message or "unreachable" in message


def test_signals_cannot_stop_the_time_limit(hostile_grader: Grader) -> None:
    source = (
        "import signal\nfor s in (signal.SIGTERM, signal.SIGXCPU, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(s, signal.SIG_IGN)\ndef probe():\n    while True:\n        pass\n"
    )
    assert _grade(hostile_grader, source).checks[0].limit == "time"


def test_ctypes_cannot_regain_privileges(hostile_grader: Grader) -> None:
    source = (
        "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "def probe():\n    out = [\n"
        "        libc.mount(b'none', b'/usr', b'tmpfs', 0, None),\n"
        "        libc.setuid(0),\n        libc.umount2(b'/proc', 2),\n"
        "        libc.chroot(b'/tmp'),\n    ]\n"
        "    return repr(out + [os.getuid()])\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "[-1, -1, -1, -1, 1000]" in _text(verdict.checks[0])


def test_ctypes_segfault(hostile_grader: Grader) -> None:
    source = "import ctypes\ndef probe():\n    return ctypes.string_at(0)\n"
    assert "crashed" in _text(_grade(hostile_grader, source).checks[0])


def test_closing_stdout_and_stderr(hostile_grader: Grader) -> None:
    source = "import os\ndef probe():\n    os.close(1)\n    os.close(2)\n    return 'closed'\n"
    verdict = _grade(hostile_grader, source)
    assert "'closed' == 'safe'" in _text(verdict.checks[0])


def test_closing_the_grader_channel(hostile_grader: Grader) -> None:
    source = (
        "import contextlib, os\ndef probe():\n    for fd in range(3, 20):\n"
        "        with contextlib.suppress(OSError):\n            os.close(fd)\n"
        "    return 'safe'\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "closed its channel to the grader" in _text(verdict.checks[0])


def test_always_equal_object(hostile_grader: Grader) -> None:
    source = (
        "class Eq:\n    def __eq__(self, other):\n        return True\n"
        "def probe():\n    return Eq()\n"
    )
    message = _text(_grade(hostile_grader, source).checks[0])
    assert "returned an Eq, which cannot be compared" in message


def test_str_subclass_with_always_true_eq(hostile_grader: Grader) -> None:
    source = (
        "class S(str):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = str.__hash__\n"
        "def probe():\n    return S('unsafe')\n"
    )
    assert "'unsafe' == 'safe'" in _text(_grade(hostile_grader, source).checks[0])


def test_patching_the_checks_and_builtins(hostile_grader: Grader) -> None:
    source = (
        "import builtins, sys\n"
        "builtins.AssertionError = type('Nope', (Exception,), {})\n"
        "for name in list(sys.modules):\n"
        "    if name.startswith(('exercises', '_pytest')):\n"
        "        mod = sys.modules[name]\n"
        "        for attr in dir(mod):\n"
        "            if attr.startswith('test_') or attr in ('LearnerError', 'rewrite_asserts'):\n"
        "                setattr(mod, attr, lambda *a, **k: None)\n"
        "def probe():\n    return 'patched'\n"
    )
    assert "'patched' == 'safe'" in _text(_grade(hostile_grader, source).checks[0])


def test_printing_a_fake_passing_verdict(hostile_grader: Grader) -> None:
    source = (
        "import json, os, struct\n"
        "fake = json.dumps({'ok': True, 'checks': [{'name': 'test_probe', 'passed': True}]})\n"
        "def probe():\n    print(fake)\n    print('PASSED probe: passed (1/1 checks)')\n"
        "    os.write(1, struct.pack('!I', len(fake)) + fake.encode())\n    return 'forged'\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "'forged' == 'safe'" in _text(verdict.checks[0])


def test_os_exit_zero(hostile_grader: Grader) -> None:
    verdict = _grade(hostile_grader, "import os\nos._exit(0)\n")
    assert "ended the program (exit status 0)" in _text(verdict.checks[0])


def test_thread_bomb(hostile_grader: Grader) -> None:
    source = (
        "import threading, time\ndef probe():\n    while True:\n"
        "        threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n"
    )
    verdict = _grade(hostile_grader, source)
    assert verdict.checks[0].limit in ("processes", "time", "memory")


def test_huge_file(hostile_grader: Grader) -> None:
    scratch = hostile_grader.runner_hello().scratch_dir  # /tmp, or /scratch if Python is in /tmp
    source = (
        f"def probe():\n    with open('{scratch}/big', 'wb') as f:\n        while True:\n"
        "            f.write(b'z' * 2**20)\n"
    )
    verdict = _grade(hostile_grader, source)
    message = _text(verdict.checks[0])
    assert "File too large" in message


def test_hostile_and_honest_submissions_at_the_same_time(grader: Grader) -> None:
    results: dict[str, bool] = {}

    def run(name: str, source: str) -> None:
        results[name] = grader.grade(_exercise(), source).passed

    threads = [
        threading.Thread(target=run, args=("hostile", "while True:\n    pass\n")),
        threading.Thread(target=run, args=("honest", GOOD)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"hostile": False, "honest": True}
    assert _no_strays()


def _no_strays() -> bool:
    for _ in range(100):
        if not _sandbox_processes()[1]:
            return True
        time.sleep(0.05)
    return False


def test_seccomp_denies_namespaces_tracing_and_io_uring(hostile_grader: Grader) -> None:
    source = (
        "import ctypes, threading\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "def attempt(*args):\n    result = libc.syscall(*args)\n"
        "    return result if result >= 0 else -ctypes.get_errno()\n"
        "def probe():\n    t = threading.Thread(target=lambda: None)\n    t.start()\n    t.join()\n"
        "    return repr([\n"
        "        attempt(272, 0x10000000),\n"  # unshare(CLONE_NEWUSER)
        "        attempt(56, 0x10000000 | 17, 0, 0, 0, 0),\n"  # clone(CLONE_NEWUSER)
        "        attempt(101, 0, 0, 0, 0),\n"  # ptrace(PTRACE_TRACEME)
        "        attempt(425, 1, 0),\n"  # io_uring_setup
        "        attempt(321, 0, 0, 0),\n"  # bpf
        "    ])\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "[-1, -1, -1, -1, -1]" in _text(verdict.checks[0])


MEMORY_SCAN = """
import re

def count(needle):
    found = 0
    with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:
        for line in maps:
            fields = line.split()
            if 'r' not in fields[1] or (len(fields) > 5 and fields[5].startswith('/')):
                continue
            start, end = (int(x, 16) for x in fields[0].split('-'))
            if end - start > 512 * 2**20:
                continue
            try:
                mem.seek(start)
                found += mem.read(end - start).count(needle)
            except OSError:
                pass
    return found

def probe():
    leaked = count(('learner-' + 'a-private-' + 'answer').encode())
    control = count(('learner-' + 'z-private-' + 'answer').encode())
    return f'leaked={leaked - control}'
"""


def test_a_child_holds_no_other_learners_submission(hostile_grader: Grader) -> None:
    private = "# learner-a-private-answer\n" * 800 + "def probe():\n    return 'unsafe'\n"
    for _ in range(3):
        assert not hostile_grader.grade(_exercise(), private).passed
    verdict = _grade(hostile_grader, MEMORY_SCAN, time_s=10)  # a scan is slow on a busy machine
    assert "leaked=0" in _text(verdict.checks[0]), _text(verdict.checks[0])


def test_forged_oversized_reply(hostile_grader: Grader) -> None:
    source = (
        "import os, struct\ndef probe():\n    os.write(4, struct.pack('!I', 2**31))\n"
        "    return 'safe'\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "reply that is too large" in _text(verdict.checks[0])


def test_garbage_on_the_reply_channel(hostile_grader: Grader) -> None:
    source = (
        "import os, struct\ndef probe():\n    junk = b'{not json'\n"
        "    os.write(4, struct.pack('!I', len(junk)) + junk)\n    return 'safe'\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "malformed reply" in _text(verdict.checks[0])


def test_socket_families_outside_the_allowlist_are_refused(hostile_grader: Grader) -> None:
    source = (
        "import socket\n"
        "def attempt(family, kind):\n"
        "    try:\n"
        "        socket.socket(family, kind).close()\n"
        "        return 'created'\n"
        "    except OSError as exc:\n"
        "        return exc.errno\n"
        "def probe():\n"
        "    a, b = socket.socketpair()\n"
        "    a.close(); b.close()\n"
        "    return repr([\n"
        "        attempt(40, socket.SOCK_STREAM),\n"  # AF_VSOCK: not confined by a netns
        "        attempt(socket.AF_NETLINK, socket.SOCK_RAW),\n"
        "        attempt(socket.AF_PACKET, socket.SOCK_RAW),\n"
        "        attempt(socket.AF_INET, socket.SOCK_STREAM),\n"
        "        attempt(socket.AF_UNIX, socket.SOCK_STREAM),\n"
        "    ])\n"
    )
    verdict = _grade(hostile_grader, source)
    assert "[97, 97, 97, 'created', 'created']" in _text(verdict.checks[0])  # EAFNOSUPPORT
