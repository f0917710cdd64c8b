"""Lessons one course borrows from another (``lesson_from``).

One course's file cannot show whether another course has a point, so the reference is
resolved where the other courses are known: the loader is handed a :class:`Library`
(the bundled courses by default, see :class:`curriculum.registry.Catalogue`). A good
reference names a course of the library (or the course itself), a point of that course,
and that point has its own authored ``lesson``; anything else is a problem at the
reference's ``file:line:column``.
"""

from __future__ import annotations

from typing import Any, Protocol

from curriculum.model import BorrowedLesson, Course, LessonRef
from curriculum.problems import Problem
from curriculum.yamlsource import YamlDoc, node_at

Places = dict[str, tuple[YamlDoc, tuple[Any, ...]]]
"""Where each point's ``lesson_from`` is written, by point id."""


class Library(Protocol):
    """The courses a ``lesson_from`` may name."""

    def course(self, course_id: str) -> Course | None:
        """The course with this id, loaded; None when there is none (or it is invalid)."""
        ...

    def ids(self) -> list[str]: ...


def borrow_lessons(
    course: Course, places: Places, library: Library
) -> tuple[dict[str, BorrowedLesson], list[Problem]]:
    """The lesson each ``lesson_from`` of ``course`` names, and a problem for each bad one."""
    borrowed: dict[str, BorrowedLesson] = {}
    problems: list[Problem] = []
    for ref in course.outline.points:
        wanted = ref.point.lesson_from
        if wanted is None:
            continue
        found = _lend(course, wanted, library)
        if isinstance(found, BorrowedLesson):
            borrowed[ref.point.id] = found
            continue
        key, message = found
        doc, path = places[ref.point.id]
        problems.append(doc.problem(node_at(doc.node, (*path, key)), f"lesson_from: {message}"))
    return borrowed, problems


def _lend(course: Course, wanted: LessonRef, library: Library) -> BorrowedLesson | tuple[str, str]:
    """The lesson ``wanted`` names, or (the key at fault, what is wrong)."""
    lender = course if wanted.course == course.id else library.course(wanted.course)
    if lender is None:
        known = ", ".join(sorted({*library.ids(), course.id}))
        return "course", f"no course '{wanted.course}' (the courses are: {known})"
    place = lender.outline.point(wanted.point)
    if place is None:
        return "point", f"course '{wanted.course}' has no point '{wanted.point}'"
    if place.point.lesson is None:
        how = (
            "borrows its lesson too (lesson_from): name the point whose lesson is written"
            if place.point.lesson_from is not None
            else "has no authored lesson"
        )
        return "point", f"point '{wanted.point}' of course '{wanted.course}' {how}"
    return BorrowedLesson(
        lesson=place.point.lesson,
        course_id=lender.id,
        course_title=lender.title,
        point_id=place.point.id,
        point_title=place.point.title,
        why=wanted.why,
    )
