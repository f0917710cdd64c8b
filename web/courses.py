"""The courses the app serves, reloaded when their files change on disk.

Every request may call :meth:`CourseStore.refresh`; it looks at the files' modification
times at most once per ``interval`` seconds (a cheap ``stat`` walk, correct with several
workers since each checks on its own).  An invalid edit keeps the last valid version
live and records the problems for instructors.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from curriculum import Course, CourseInvalid, Problem, bundled_course_dirs, load_course
from tutor.settings import Settings

EDITABLE_SUFFIXES = (".yaml", ".yml", ".py", ".md", ".txt")


@dataclass
class LoadedCourse:
    path: Path
    course: Course | None = None
    version: str = ""
    signature: tuple[tuple[str, int, int], ...] = ()
    problems: list[Problem] = field(default_factory=list)


def course_dirs(settings: Settings) -> dict[str, Path]:
    """Bundled courses (flagship first), then the folders of ``courses_dir``."""
    dirs = dict(bundled_course_dirs())
    if settings.courses_dir is not None and settings.courses_dir.is_dir():
        for p in sorted(settings.courses_dir.iterdir()):
            if (p / "course.yaml").is_file() and p.name not in dirs:
                dirs[p.name] = p
    return dirs


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for f in sorted(path.rglob("*")):
        if f.is_file() and f.suffix in EDITABLE_SUFFIXES and "__pycache__" not in f.parts:
            st = f.stat()
            entries.append((str(f.relative_to(path)), st.st_mtime_ns, st.st_size))
    return tuple(entries)


def _version(signature: tuple[tuple[str, int, int], ...]) -> str:
    return hashlib.sha256(repr(signature).encode()).hexdigest()[:16]


class CourseStore:
    def __init__(self, dirs: dict[str, Path], interval: float = 1.0) -> None:
        self._entries = {cid: LoadedCourse(path=p) for cid, p in dirs.items()}
        self._interval = interval
        self._checked = 0.0
        self._lock = threading.Lock()
        for entry in self._entries.values():
            self._load(entry)

    def _load(self, entry: LoadedCourse) -> None:
        signature = _signature(entry.path)
        if signature == entry.signature:
            return
        entry.signature = signature
        try:
            course = load_course(entry.path)
        except CourseInvalid as exc:
            entry.problems = list(exc.problems)
            return
        except (OSError, ValueError) as exc:
            entry.problems = [Problem(entry.path, 0, 0, f"cannot load: {exc}")]
            return
        entry.course, entry.version, entry.problems = course, _version(signature), []

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < self._interval:
            return
        with self._lock:
            self._checked = now
            for entry in self._entries.values():
                self._load(entry)

    def ids(self) -> list[str]:
        return [cid for cid, e in self._entries.items() if e.course is not None]

    def get(self, course_id: str) -> LoadedCourse | None:
        entry = self._entries.get(course_id)
        return entry if entry is not None and entry.course is not None else None

    def entry(self, course_id: str) -> LoadedCourse | None:
        return self._entries.get(course_id)

    def all_entries(self) -> dict[str, LoadedCourse]:
        return dict(self._entries)
