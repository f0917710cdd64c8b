"""The courses the app serves, reloaded when their files change on disk.

Each worker runs a watcher thread (watchfiles: inotify on Linux) over the course
folders; on a change it reloads the changed course in that thread, so requests never
pay for it.  Where no watcher runs (e.g. a bare ``create_app`` without its lifespan),
:meth:`CourseStore.refresh` falls back to comparing the files' modification times at
most once per ``interval`` seconds.  An invalid edit keeps the last valid version live
and records the problems (file and line) for instructors.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from curriculum import Course, CourseInvalid, Problem, load_course
from curriculum.registry import Catalogue
from curriculum.registry import course_dirs as registry_course_dirs
from web.settings import WebSettings

EDITABLE_SUFFIXES = (".yaml", ".yml", ".py", ".md", ".txt")
log = logging.getLogger("web.courses")


@dataclass
class LoadedCourse:
    path: Path
    course: Course | None = None
    version: str = ""
    signature: tuple[tuple[str, int, int], ...] = ()
    problems: list[Problem] = field(default_factory=list)
    lenders: frozenset[str] = frozenset()  # the courses its lesson_from references name


def course_dirs(settings: WebSettings) -> dict[str, Path]:
    """Bundled courses (flagship first), then the folders of ``courses_dir`` (which replace
    bundled ones of the same name, in their place)."""
    return registry_course_dirs(settings.courses_dir)


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for f in sorted(path.rglob("*")):
        if f.is_file() and f.suffix in EDITABLE_SUFFIXES and "__pycache__" not in f.parts:
            st = f.stat()
            entries.append((str(f.relative_to(path)), st.st_mtime_ns, st.st_size))
    return tuple(entries)


def _version(signature: object) -> str:
    return hashlib.sha256(repr(signature).encode()).hexdigest()[:16]


class CourseStore:
    """The loaded courses. With ``discover`` (the course folders as they are now) and
    ``root`` (the courses folder), a course folder added under ``root`` while serving (a
    duplicated course, say) is found by every worker's watcher, or at the next poll."""

    def __init__(
        self,
        dirs: dict[str, Path],
        interval: float = 1.0,
        *,
        discover: Callable[[], dict[str, Path]] | None = None,
        root: Path | None = None,
    ) -> None:
        self._entries = {cid: LoadedCourse(path=p) for cid, p in dirs.items()}
        self._discover = discover
        self._root = root
        self._interval = interval
        self._checked = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._load_changed()

    def _add_new(self) -> None:
        """Entries for course folders that appeared (copy-on-write: readers never see the
        dict change under them)."""
        if self._discover is None:
            return
        found = self._discover()
        new = {cid: LoadedCourse(path=p) for cid, p in found.items() if cid not in self._entries}
        if new:
            self._entries = {**self._entries, **new}

    def _load_changed(self) -> None:
        """Reload every changed course, then every course that borrows a lesson from one."""
        self._add_new()
        library = Catalogue({cid: e.path for cid, e in self._entries.items()})
        changed = {cid for cid, e in self._entries.items() if self._load(e, library)}
        for entry in self._entries.values():
            if entry.lenders & changed:
                self._load(entry, library, force=True)

    def _load(self, entry: LoadedCourse, library: Catalogue, *, force: bool = False) -> bool:
        """Load ``entry`` if its files changed (or ``force``); whether it was loaded."""
        signature = _signature(entry.path)
        if signature == entry.signature and not force:
            return False
        entry.signature = signature
        try:
            course = load_course(entry.path, library=library)
        except CourseInvalid as exc:
            entry.problems = list(exc.problems)
            return True
        except (OSError, ValueError) as exc:
            entry.problems = [Problem(entry.path, 0, 0, f"cannot load: {exc}")]
            return True
        entry.lenders = frozenset(b.course_id for b in course.borrowed_lessons.values())
        lent = sorted(
            (cid, self._entries[cid].version) for cid in entry.lenders if cid in self._entries
        )
        entry.course, entry.version, entry.problems = course, _version((signature, *lent)), []
        return True

    def refresh(self, force: bool = False) -> None:
        """Reload changed courses (polling fallback; free while the watcher runs)."""
        now = time.monotonic()
        if not force and (self.watching or now - self._checked < self._interval):
            return
        with self._lock:
            self._checked = now
            self._load_changed()

    @property
    def watching(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start_watching(self) -> None:
        """Start the watcher thread (stopped by :meth:`stop_watching`)."""
        if self.watching:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="course-watcher", daemon=True)
        self._thread.start()

    def stop_watching(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None

    def _watch(self) -> None:
        root = self._root if self._root is not None and self._root.is_dir() else None
        paths = [
            e.path for e in self._entries.values() if root is None or root not in e.path.parents
        ]
        if root is not None:
            paths.append(root)  # new course folders too
        try:
            for _changes in watchfiles.watch(
                *paths,
                stop_event=self._stop,
                debounce=300,
                rust_timeout=1000,
                yield_on_timeout=False,
                raise_interrupt=False,
            ):
                self.refresh(force=True)
        except Exception:  # the watcher died: requests fall back to polling
            log.warning("course watcher stopped; falling back to polling", exc_info=True)

    def ids(self) -> list[str]:
        return [cid for cid, e in self._entries.items() if e.course is not None]

    def get(self, course_id: str) -> LoadedCourse | None:
        entry = self._entries.get(course_id)
        return entry if entry is not None and entry.course is not None else None

    def entry(self, course_id: str) -> LoadedCourse | None:
        return self._entries.get(course_id)

    def all_entries(self) -> dict[str, LoadedCourse]:
        return dict(self._entries)
