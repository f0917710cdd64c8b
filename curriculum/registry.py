"""Bundled courses and the COURSE argument: a bundled course id or a path."""

from __future__ import annotations

from pathlib import Path

from curriculum.loader import load_course
from curriculum.model import Course

BUNDLED_DIR = Path(__file__).parent / "courses"


def bundled_course_dirs() -> dict[str, Path]:
    """Map each bundled course id (its folder name) to its folder, in display order."""
    dirs = sorted(p for p in BUNDLED_DIR.iterdir() if (p / "course.yaml").is_file())
    flagship = [p for p in dirs if p.name == "python-backend"]
    return {p.name: p for p in flagship + [p for p in dirs if p.name != "python-backend"]}


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is (inside) a course that ships with Tutor."""
    return path.resolve().is_relative_to(BUNDLED_DIR.resolve())


def course_path(spec: str) -> Path:
    """Resolve COURSE: a bundled course id, else a path to a course folder or file."""
    bundled = bundled_course_dirs()
    if spec in bundled:
        return bundled[spec]
    return Path(spec)


def resolve_course(spec: str) -> Course:
    return load_course(course_path(spec))
