"""A copy of the real backend-roadmap course whose first points are rewritten for
``lesson_from`` tests (the bundled content itself is left alone)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from curriculum import bundled_course_dirs

SECTION = "sections/01-basic-level.yaml"
FLAGSHIP_POINT = "what-is-pydantic"
MINIMAL_LESSON = {
    "explanation": "Text.",
    "code": {"source": "print('hi')\n"},
    "walkthrough": "Text.",
    "notes": "Text.",
    "summary": "Text.",
    "try_it": "Text.",
}


def lesson_from(course: str, point: str, why: str = "It teaches the same thing.") -> dict[str, Any]:
    return {"lesson_from": {"course": course, "point": point, "why": why}}


def roadmap_copy(folder: Path, *changes: dict[str, Any]) -> tuple[Path, list[str]]:
    """backend-roadmap copied into ``folder``; the i-th point of its first topic loses its
    own lesson and gets ``changes[i]``. Returns the copy and the ids of those points."""
    out = folder / "backend-roadmap"
    shutil.copytree(bundled_course_dirs()["backend-roadmap"], out)
    section = out / SECTION
    data = yaml.safe_load(section.read_text(encoding="utf-8"))
    points = data["topics"][0]["points"]
    for point, change in zip(points, changes, strict=False):
        point.pop("lesson", None)
        point.pop("lesson_from", None)
        point.update(change)
    section.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return out, [p["id"] for p in points[: len(changes)]]
