"""Bundled courses, the COURSE argument (a bundled course id or a path), and the catalogue
of courses a ``lesson_from`` may name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from curriculum.loader import load_course
from curriculum.model import Course
from curriculum.problems import CourseInvalid

BUNDLED_DIR = Path(__file__).parent / "courses"


def bundled_course_dirs() -> dict[str, Path]:
    """Map each bundled course id (its folder name) to its folder, in display order."""
    dirs = sorted(p for p in BUNDLED_DIR.iterdir() if (p / "course.yaml").is_file())
    flagship = [p for p in dirs if p.name == "python-backend"]
    return {p.name: p for p in flagship + [p for p in dirs if p.name != "python-backend"]}


def course_dirs(courses_dir: Path | None = None) -> dict[str, Path]:
    """Bundled courses (flagship first), then the course folders of ``courses_dir``.

    A folder of ``courses_dir`` named like a bundled course replaces it (in its place),
    so an instructor's adapted copy (``tutor new DIR --from COURSE``) is what learners see.
    """
    dirs = bundled_course_dirs()
    if courses_dir is not None and courses_dir.is_dir():
        for p in sorted(courses_dir.iterdir()):
            if (p / "course.yaml").is_file():
                dirs[p.name] = p
    return dirs


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is (inside) a course that ships with Tutor."""
    return path.resolve().is_relative_to(BUNDLED_DIR.resolve())


def course_path(spec: str) -> Path:
    """Resolve COURSE: a bundled course id, else a path to a course folder or file."""
    bundled = bundled_course_dirs()
    if spec in bundled:
        return bundled[spec]
    return Path(spec)


class Catalogue:
    """Courses by id (folder name), each loaded on first use and then kept: the library a
    ``lesson_from`` is resolved in (see :mod:`curriculum.borrowing`)."""

    def __init__(self, dirs: Mapping[str, Path]) -> None:
        self._dirs = dict(dirs)
        self._loaded: dict[str, Course | None] = {}

    @classmethod
    def bundled(cls, courses_dir: Path | None = None) -> Catalogue:
        return cls(course_dirs(courses_dir))

    def ids(self) -> list[str]:
        return list(self._dirs)

    def course(self, course_id: str) -> Course | None:
        """The course, loaded as written (its own ``lesson_from`` left unresolved: only its
        authored lessons can be lent); None when there is none or it is invalid."""
        if course_id not in self._loaded:
            path = self._dirs.get(course_id)
            self._loaded[course_id] = None if path is None else _lender(path)
        return self._loaded[course_id]


def _lender(path: Path) -> Course | None:
    try:
        return load_course(path, borrow=False)
    except (CourseInvalid, OSError, ValueError):
        return None


def resolve_course(spec: str) -> Course:
    return load_course(course_path(spec))
