"""The kernel helpers the zygote uses to make forks cheap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COLLAPSE = """
import mmap, sys
from exercises.sandbox import _linux as linux
size = 8 << 20
buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
buf.write(b"x" * size)
done = linux.collapse_huge_pages()
huge = 0
for line in open("/proc/self/smaps_rollup"):
    if line.startswith("AnonHugePages:"):
        huge = int(line.split()[1]) * 1024
print(done, huge)
"""


def _thp_mode() -> str:
    path = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    text = path.read_text() if path.exists() else "[never]"
    return text.split("[", 1)[1].split("]", 1)[0]


def test_collapse_backs_the_heap_with_huge_pages() -> None:
    if _thp_mode() == "never":
        pytest.skip("transparent huge pages are disabled on this machine")
    release = tuple(int(p) for p in os.uname().release.split("-")[0].split(".")[:2])
    if release < (6, 1):
        pytest.skip("this kernel has no MADV_COLLAPSE (Linux 6.1+)")
    out = subprocess.run(
        [sys.executable, "-c", COLLAPSE], capture_output=True, text=True, check=True
    ).stdout.split()
    done, huge = int(out[0]), int(out[1])
    assert done >= 4 << 20
    assert huge >= 4 << 20
