"""``lesson_from`` and ``brief`` on a copy of a real roadmap course (bundled content is
left alone): the reference is resolved against the other bundled courses, served as an
authored lesson, reported by ``tutor show``, and a bad one is a file:line:column problem."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import Course, CourseInvalid, bundled_course_dirs, load_course
from curriculum.registry import Catalogue
from curriculum.tree import course_tree, render_tree
from tests.curriculum.lending import (
    FLAGSHIP_POINT,
    MINIMAL_LESSON,
    SECTION,
    lesson_from,
    roadmap_copy,
)
from tutor import flow
from tutor import navigation as nav
from tutor.backends import OfflineBackend
from tutor.engine import Tutor
from tutor.events import LessonReady
from tutor.prompt import build_messages


@pytest.fixture
def borrowing(tmp_path: Path) -> Course:
    folder, _ = roadmap_copy(tmp_path, lesson_from("python-backend", FLAGSHIP_POINT))
    return load_course(folder)


def _first(course: Course) -> str:
    return course.outline.points[0].point.id


def test_the_referenced_lesson_is_the_points_lesson(borrowing: Course) -> None:
    flagship = load_course(bundled_course_dirs()["python-backend"])
    lent = flagship.outline.point(FLAGSHIP_POINT)
    assert lent is not None and lent.point.lesson is not None
    ref = borrowing.outline.points[0]
    assert ref.borrowed is not None
    assert ref.point.lesson is None  # the course as written is unchanged
    assert ref.lesson == lent.point.lesson
    assert ref.borrowed.source == f"Lesson from Python Backend Development › {lent.point.title}"
    assert ref.borrowed.why == "It teaches the same thing."


def test_show_reports_it_as_an_authored_lesson_and_says_where_from(borrowing: Course) -> None:
    tree = course_tree(borrowing)
    point = tree["sections"][0]["topics"][0]["points"][0]
    assert point["lesson"] is True
    assert point["exercise"] is None  # the lender's exercise is not this course's
    assert point["lesson_from"]["course"] == "python-backend"
    assert point["lesson_from"]["point"] == FLAGSHIP_POINT
    own = sum(p.point.lesson is not None for p in borrowing.outline.points)
    assert tree["counts"]["lessons"] == own + 1
    line = next(x for x in render_tree(tree) if f"[{_first(borrowing)}]" in x)
    assert "(Lesson from Python Backend Development › " in line


def test_the_offline_engine_serves_it_as_authored(borrowing: Course) -> None:
    pos = nav.parse_position(borrowing, _first(borrowing))
    state = flow.state_at(borrowing, pos)
    task = flow.Teach(position=pos, number=1, total=nav.point_number(borrowing, pos)[1])

    async def run() -> list[LessonReady]:
        tutor = Tutor(OfflineBackend())
        shown = tutor.show(borrowing, state, task, "learner")
        return [ev async for ev in shown if isinstance(ev, LessonReady)]

    (ready,) = asyncio.run(run())
    assert ready.source == "authored" and ready.complete
    assert ready.lesson == borrowing.outline.points[0].lesson


@pytest.mark.parametrize(
    ("course", "point", "key", "message"),
    [
        ("no-such-course", FLAGSHIP_POINT, "course", "no course 'no-such-course'"),
        ("python-backend", "no-such-point", "point", "has no point 'no-such-point'"),
        ("backend-roadmap", "SECOND", "point", "has no authored lesson"),
    ],
)
def test_a_bad_reference_is_a_problem_where_it_is_written(
    tmp_path: Path, course: str, point: str, key: str, message: str
) -> None:
    folder, (_, second) = roadmap_copy(tmp_path, {}, {})  # the second point: no lesson
    point = second if point == "SECOND" else point
    shutil.rmtree(folder)
    folder, _ = roadmap_copy(tmp_path, lesson_from(course, point), {})
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    (problem,) = caught.value.problems
    assert problem.file == folder / SECTION
    assert message in problem.message and problem.message.startswith("lesson_from: ")
    written = (folder / SECTION).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert written.strip() == f"{key}: {course if key == 'course' else point}"
    assert problem.column == written.index(": ") + 3  # at the value, like other references


def test_a_reference_to_a_borrowed_lesson_is_refused(tmp_path: Path) -> None:
    folder, (_, second) = roadmap_copy(tmp_path, {}, {})
    shutil.rmtree(folder)
    folder, _ = roadmap_copy(
        tmp_path,
        lesson_from("backend-roadmap", second),
        lesson_from("python-backend", FLAGSHIP_POINT),
    )
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    (problem,) = caught.value.problems
    assert "borrows its lesson too" in problem.message


def test_lesson_and_lesson_from_together_are_refused(tmp_path: Path) -> None:
    both = {"lesson": MINIMAL_LESSON, **lesson_from("python-backend", FLAGSHIP_POINT)}
    folder, _ = roadmap_copy(tmp_path, both)
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    assert any("own lesson or a lesson_from, not both" in p.message for p in caught.value.problems)


def test_a_why_is_required(tmp_path: Path) -> None:
    folder, _ = roadmap_copy(tmp_path, lesson_from("python-backend", FLAGSHIP_POINT, why="  "))
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    assert any("why" in p.message for p in caught.value.problems)


def test_the_library_can_hold_other_courses(tmp_path: Path) -> None:
    """A course of a courses folder may lend too (the web app's catalogue)."""
    folder, (first,) = roadmap_copy(tmp_path, lesson_from("my-copy", FLAGSHIP_POINT))
    shutil.copytree(bundled_course_dirs()["python-backend"], tmp_path / "extra" / "my-copy")
    with pytest.raises(CourseInvalid):
        load_course(folder)  # the bundled courses alone: no such course
    course = load_course(folder, library=Catalogue.bundled(tmp_path / "extra"))
    ref = course.outline.point(first)
    assert ref is not None and ref.borrowed is not None
    assert ref.borrowed.course_id == "python-backend"  # the copy keeps the flagship's id


def test_validate_reports_a_bad_reference_and_exits_1(tmp_path: Path) -> None:
    folder, _ = roadmap_copy(tmp_path, lesson_from("python-backend", "no-such-point"))
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "validate", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    (problem,) = json.loads(done.stdout)["problems"]
    assert problem["file"] == str(folder / SECTION)
    assert problem["line"] > 0 and problem["column"] > 0
    assert "course 'python-backend' has no point 'no-such-point'" in problem["message"]


def test_the_brief_is_what_the_prompt_teaches(tmp_path: Path) -> None:
    brief = "Learn about Variables, Data Types and Operators in **Python**"
    folder, (first,) = roadmap_copy(tmp_path, {"brief": brief})
    course = load_course(folder)
    ref = course.outline.point(first)
    assert ref is not None
    pos = ref.position
    task = flow.Teach(position=pos, number=1, total=nav.point_number(course, pos)[1])
    messages = build_messages(course, flow.state_at(course, pos), task)
    assert f"“{brief}”" in messages[-1].content
    assert f"“{ref.point.title}”" not in messages[-1].content  # the title is for display
