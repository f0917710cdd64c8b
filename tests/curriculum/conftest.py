"""Helpers: write small courses into tmp_path and read back their problems."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from curriculum import CourseInvalid, load_course

# In CI the generated documents are the same on every run (a failure there is about the
# change, not the luck of the draw); locally each run explores new ones.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
"""The five seed roadmaps the bundled courses came from, copied verbatim from
``../shared/seeds`` so the suite runs from a clone anywhere."""
seeds = sorted(SEEDS.glob("*.txt"))

COURSE = """\
schema_version: 1
id: demo
title: Demo
description: A demo course.
sections:
  - sections/one.yaml
"""

SECTION = """\
id: one
title: One
topics:
  - id: basics
    title: Basics
    points:
      - id: first
        title: First point
"""


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (dedented text, or raw bytes) under ``root``; return ``root``."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    """Every problem as ``file:line:column: message | quoted line``, file relative to root."""
    with pytest.raises(CourseInvalid) as caught:
        load_course(root)
    return [
        f"{p.file.relative_to(root)}:{p.line}:{p.column}: {p.message} | {p.source_line}"
        for p in caught.value.problems
    ]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A valid two-file course to break in tests."""
    return write(tmp_path, {"course.yaml": COURSE, "sections/one.yaml": SECTION})
