"""Resource attacks on the whole process tree of a submission (per-sandbox cgroups).

``RLIMIT_AS`` bounds one process: twelve forked children each took their own share,
and memfd pages were counted by nothing.  With cgroups (v1 memory and pids
controllers here, v2 where delegated) the exercise's ``memory_mb`` and the process
limit hold for the whole tree; where cgroups are unavailable the verdict says
``limits: rlimit`` (tested below with the weak sandbox).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader
from exercises.report import verdict_text
from exercises.verdict import Verdict

MEMORY_MB = 128
PROBE_CHECKS = "def test_probe(submission):\n    assert submission.call('probe') == 'safe'\n"
MEMORY_MESSAGE = f"stopped: your code used more than {MEMORY_MB} MB of memory"

TWELVE_CHILDREN = """
import os, select, time

def probe():
    done_r, done_w = os.pipe()
    for _ in range(12):
        if os.fork() == 0:
            try:
                block = b"x" * (60 * 2**20)  # 60 MB, every page touched
                os.write(done_w, b"1")
                time.sleep(10)
            finally:
                os._exit(0)
    held = 0
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        if select.select([done_r], [], [], 0.1)[0]:
            held += len(os.read(done_r, 64))
    return f"held={held * 60} MB"
"""

MEMFDS = """
import os

def probe():
    fds = []
    for i in range(64):  # 64 x 15 MB: each under the 16 MB file-size limit
        fd = os.memfd_create(f"m{i}")
        os.write(fd, b"x" * (15 * 2**20))
        fds.append(fd)
    return f"held={len(fds) * 15} MB"
"""

TMPFS_AND_HEAP = """
def probe():
    for name in ("a", "b"):  # the private /tmp is a 32 MB tmpfs; files up to 16 MB
        with open(f"/tmp/{name}", "wb") as fh:
            fh.write(b"x" * (15 * 2**20))
    blocks = [b"y" * (20 * 2**20) for _ in range(6)]  # 120 MB more, in one process
    return f"held={30 + 20 * len(blocks)} MB"
"""

FORK_BOMB = "import os\ndef probe():\n    while True:\n        os.fork()\n"


def _exercise(time_s: float = 5) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="limits",
        title="Limits",
        prompt="Return 'safe'.",
        starter="",
        solution="def probe():\n    return 'safe'\n",
        checks=PROBE_CHECKS,
        limits=Limits(time_s=time_s, memory_mb=MEMORY_MB, output_kb=16),
    )


def _cgroups_expected() -> bool:
    """Root with cgroup v1 memory and pids controllers (this machine, CI): they must be used.

    Under cgroup v2 they are used only where the server's cgroup delegates them.
    """
    v1 = all(Path("/sys/fs/cgroup", c, "cgroup.procs").exists() for c in ("memory", "pids"))
    return os.geteuid() == 0 and v1


@pytest.fixture(scope="module")
def strict() -> Iterator[Grader]:
    grader = Grader("strict", runners=1)
    try:
        verdict = grader.grade(_exercise(), "def probe():\n    return 'safe'\n")
        assert verdict.passed, verdict
        if verdict.limits != "cgroup":
            assert not _cgroups_expected(), "cgroups are available but the sandbox did not use them"
            pytest.skip("no cgroups here: memory is bounded per process (RLIMIT_AS)")
        yield grader
    finally:
        grader.close()


def _grade(grader: Grader, source: str) -> Verdict:
    verdict = grader.grade(_exercise(), source)
    assert not verdict.passed
    assert verdict.limits == "cgroup"
    return verdict


def _held(verdict: Verdict) -> int | None:
    found = re.search(r"held=(\d+) MB", verdict.checks[0].message)
    return int(found.group(1)) if found else None


def test_twelve_forked_children_share_one_memory_limit(strict: Grader) -> None:
    verdict = _grade(strict, TWELVE_CHILDREN)
    held = _held(verdict)
    assert held is None or held <= MEMORY_MB, verdict.checks[0].message
    assert held is not None or verdict.checks[0].message == MEMORY_MESSAGE, verdict


def test_memfd_pages_count_against_the_limit(strict: Grader) -> None:
    verdict = _grade(strict, MEMFDS)
    assert verdict.checks[0].message == MEMORY_MESSAGE, verdict.checks[0].message
    assert verdict.checks[0].limit == "memory"
    assert verdict.limit_hit == MEMORY_MESSAGE


def test_tmpfs_files_count_against_the_limit(strict: Grader) -> None:
    verdict = _grade(strict, TMPFS_AND_HEAP)
    assert verdict.checks[0].limit == "memory", verdict.checks[0].message
    assert verdict.limit_hit == MEMORY_MESSAGE


def test_a_fork_bomb_is_stopped_by_the_process_limit(strict: Grader) -> None:
    verdict = _grade(strict, FORK_BOMB)
    assert verdict.checks[0].limit == "processes", verdict.checks[0].message
    assert verdict.limit_hit == "stopped: your code started more than 64 processes or threads"


def test_the_rlimit_fallback_is_stated_in_the_verdict() -> None:
    grader = Grader("weak", runners=1, simulate_refusal=True)
    try:
        verdict = grader.grade(_exercise(), "def probe():\n    return 'safe'\n")
    finally:
        grader.close()
    assert verdict.passed and verdict.weak_sandbox
    assert verdict.limits == "rlimit"
    assert "rlimits only" in verdict_text(verdict)
