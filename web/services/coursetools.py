"""Course tools in the browser: preview a point from unsaved YAML (duplicating a course is
``web.services.coursecopy``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from curriculum import Course, Problem
from curriculum.outline import PointRef
from web.editor import load_edited
from web.render import render_lesson

MAX_ID = 80
MAX_TITLE = 200


class ToolError(Exception):
    """A message for the instructor filling the form."""


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
