"""Course tools in the browser: duplicate a course, preview a point from unsaved YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from curriculum import Course, Problem
from curriculum.copying import copy_course
from curriculum.outline import PointRef
from web.courses import CourseStore
from web.editor import load_edited
from web.render import render_lesson

COURSE_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 80
MAX_TITLE = 200


class ToolError(Exception):
    """A message for the instructor filling the form."""


def duplicate_course(
    *, store: CourseStore, courses_dir: Path | None, source_id: str, new_id: str, title: str
) -> str:
    """Copy course ``source_id`` into ``courses_dir`` as ``new_id`` (with ``title`` if
    given), serve it, and answer its id."""
    if courses_dir is None:
        raise ToolError(
            "No courses folder is set: start Tutor with TUTOR_COURSES_DIR to keep copies."
        )
    if len(new_id) > MAX_ID or not COURSE_ID_RE.match(new_id):
        raise ToolError("The new id takes lowercase letters, digits and single hyphens.")
    if len(title) > MAX_TITLE:
        raise ToolError(f"The title takes at most {MAX_TITLE} characters.")
    source = store.entry(source_id)
    if source is None or source.course is None:
        raise ToolError("Only a course that loads can be duplicated.")
    out = courses_dir / new_id
    if store.entry(new_id) is not None or out.exists():
        raise ToolError(f"A course '{new_id}' exists already: choose another id.")
    courses_dir.mkdir(parents=True, exist_ok=True)
    copy_course(source.path, out, course_id=new_id, title=title.strip())
    store.add(new_id, out)
    return new_id


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
