"""Course tools in the browser: the course the editor opens (a bundled one is read-only),
and a preview of a point from unsaved YAML (duplicating a course is
``web.services.coursecopy``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException
from markupsafe import Markup

from curriculum import Course, Problem
from curriculum.outline import PointRef
from curriculum.registry import is_bundled
from web.courses import CourseStore, LoadedCourse
from web.editor import load_edited
from web.render import render_lesson

MAX_ID = 80
MAX_TITLE = 200


class ToolError(Exception):
    """A message for the instructor filling the form."""


def course_entry(store: CourseStore, course_id: str) -> LoadedCourse:
    """The course's files, whether its current version loads or not; else 404."""
    entry = store.entry(course_id)
    if entry is None:
        raise HTTPException(404, "No such course.")
    return entry


def bundled_notice(course_id: str) -> str:
    """Why a bundled course cannot be edited here, and how to adapt it instead."""
    return (
        f"'{course_id}' ships with Tutor, so it is read-only here. To adapt it, press "
        "Duplicate course below, or copy it into "
        f"your courses folder with `tutor new COURSES_DIR/{course_id} --from {course_id}`, "
        "start Tutor with TUTOR_COURSES_DIR=COURSES_DIR, and edit the copy: it replaces the "
        "bundled course, and learners keep their progress."
    )


def editable_entry(store: CourseStore, course_id: str) -> LoadedCourse:
    """A course the browser may change: one in the courses folder (a bundled one: 403)."""
    entry = course_entry(store, course_id)
    if is_bundled(entry.path):
        raise HTTPException(403, bundled_notice(course_id))
    return entry


@dataclass(frozen=True)
class Preview:
    course: Course
    ref: PointRef
    lesson_html: Markup | None


def preview_point(
    *, course_dir: Path, name: str, content: str, point_id: str
) -> Preview | list[Problem]:
    """Point ``point_id`` as a learner would see it with ``content`` in file ``name``
    (nothing saved), or the course's problems with that content."""
    loaded = load_edited(course_dir, name, content)
    if isinstance(loaded, list):
        return loaded
    ref = loaded.outline.point(point_id)
    if ref is None:
        raise ToolError(f"The course has no point '{point_id}' with this file.")
    lesson = ref.lesson
    if lesson is None:
        return Preview(loaded, ref, None)
    source = lesson.code.source if isinstance(lesson.code.source, str) else ""
    return Preview(loaded, ref, render_lesson(lesson, source))
