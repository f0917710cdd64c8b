"""Generated lessons, cached by a hash of everything that shaped them.

The engine only uses the :class:`LessonCache` protocol; ``SqliteLessonCache`` is the
file-backed one used by the command line (the web app may provide its own).
Answers to questions are never cached; only complete lessons of the plain variant are.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from curriculum.model import Course
from curriculum.outline import Position
from tutor import navigation as nav
from tutor.prompt import HEADINGS, PROMPT_VERSION


def lesson_key(course: Course, pos: Position, *, model: str, level: str, max_tokens: int) -> str:
    """sha256 over model, prompt version, guidelines, the point and its place, level, settings."""
    ref = nav.ref_at(course, pos)
    shaping = {
        "prompt_version": PROMPT_VERSION,
        "model": model,
        "headings": HEADINGS,
        "guidelines": [[g.name, g.instruction] for g in course.teaching_steps],
        "course": [course.id, course.title],
        "section": [ref.section.id, ref.section.title],
        "topic": [pos.topic_id, ref.topic.title],
        "point": [pos.point_id, ref.point.title],
        "level": level,
        "generation": {"max_tokens": max_tokens},
    }
    if ref.point.brief is not None:  # it shapes the prompt (the key is unchanged without one)
        shaping["brief"] = ref.point.brief
    blob = json.dumps(shaping, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class CachedLesson:
    key: str
    course_id: str
    point_id: str
    model: str
    markdown: str
    created: float


class LessonCache(Protocol):
    """Generated lessons by key. Async: a cache on disk or in a database does its I/O
    off the event loop."""

    async def get(self, key: str) -> str | None: ...

    async def put(
        self, key: str, markdown: str, *, course_id: str, point_id: str, model: str
    ) -> None: ...


class MemoryLessonCache:
    """In-process cache (tests, benchmarks)."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.entries.get(key)

    async def put(
        self, key: str, markdown: str, *, course_id: str, point_id: str, model: str
    ) -> None:
        self.entries[key] = markdown


class SqliteLessonCache:
    """A cache in one SQLite file (``<data dir>/lessons.sqlite3`` for the CLI)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS lessons (key TEXT PRIMARY KEY, course_id TEXT, "
                "point_id TEXT, model TEXT, markdown TEXT, created REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def _get(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT markdown FROM lessons WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _put(self, key: str, markdown: str, course_id: str, point_id: str, model: str) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO lessons VALUES (?, ?, ?, ?, ?, ?)",
                (key, course_id, point_id, model, markdown, time.time()),
            )

    async def get(self, key: str) -> str | None:
        return await asyncio.to_thread(self._get, key)

    async def put(
        self, key: str, markdown: str, *, course_id: str, point_id: str, model: str
    ) -> None:
        await asyncio.to_thread(self._put, key, markdown, course_id, point_id, model)

    def latest(self, course_id: str, point_id: str) -> CachedLesson | None:
        """The newest cached lesson for a point (any model or level), for ``tutor freeze``."""
        with self._connect() as db:
            row = db.execute(
                "SELECT key, course_id, point_id, model, markdown, created FROM lessons "
                "WHERE course_id = ? AND point_id = ? ORDER BY created DESC, rowid DESC LIMIT 1",
                (course_id, point_id),
            ).fetchone()
        if row is None:
            return None
        return CachedLesson(row[0], row[1], row[2], row[3], row[4], float(row[5]))
