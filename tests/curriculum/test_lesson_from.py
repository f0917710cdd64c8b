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
from tutor import flow
from tutor import navigation as nav
from tutor.backends import OfflineBackend
from tutor.engine import Tutor
from tutor.events import LessonReady
from tutor.prompt import build_messages

ROADMAP = bundled_course_dirs()["backend-roadmap"]
SECTION = "sections/01-basic-level.yaml"
POINT = """\
      - id: variables-types-operators
        title: Variables, data types, and operators
"""
FLAGSHIP_POINT = "what-is-pydantic"


def _roadmap_copy(tmp_path: Path, lines: str) -> Path:
    """backend-roadmap with ``lines`` added to its first point."""
    out = tmp_path / "backend-roadmap"
    shutil.copytree(ROADMAP, out)
    section = out / SECTION
    text = section.read_text(encoding="utf-8")
    assert POINT in text
    section.write_text(text.replace(POINT, POINT + lines, 1), encoding="utf-8")
    return out


def _lesson_from(course: str, point: str, why: str = "It teaches the same thing.") -> str:
    return (
        "        lesson_from:\n"
        f"          course: {course}\n"
        f"          point: {point}\n"
        f"          why: {why}\n"
    )


@pytest.fixture
def borrowing(tmp_path: Path) -> Course:
    return load_course(_roadmap_copy(tmp_path, _lesson_from("python-backend", FLAGSHIP_POINT)))


def test_the_referenced_lesson_is_the_points_lesson(borrowing: Course) -> None:
    flagship = load_course(bundled_course_dirs()["python-backend"])
    lent = flagship.outline.point(FLAGSHIP_POINT)
    assert lent is not None and lent.point.lesson is not None
    ref = borrowing.outline.point("variables-types-operators")
    assert ref is not None and ref.borrowed is not None
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
    line = next(x for x in render_tree(tree) if "[variables-types-operators]" in x)
    assert "(Lesson from Python Backend Development › " in line


def test_the_offline_engine_serves_it_as_authored(borrowing: Course) -> None:
    pos = nav.parse_position(borrowing, "variables-types-operators")
    state = flow.state_at(borrowing, pos)
    task = flow.Teach(position=pos, number=1, total=nav.point_number(borrowing, pos)[1])

    async def run() -> list[LessonReady]:
        tutor = Tutor(OfflineBackend())
        shown = tutor.show(borrowing, state, task, "learner")
        return [ev async for ev in shown if isinstance(ev, LessonReady)]

    (ready,) = asyncio.run(run())
    assert ready.source == "authored" and ready.complete
    assert ready.lesson == borrowing.outline.point("variables-types-operators").lesson  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("course", "point", "key", "message"),
    [
        ("no-such-course", FLAGSHIP_POINT, "course", "no course 'no-such-course'"),
        ("python-backend", "no-such-point", "point", "has no point 'no-such-point'"),
        ("backend-roadmap", "conditionals-and-loops", "point", "has no authored lesson"),
    ],
)
def test_a_bad_reference_is_a_problem_where_it_is_written(
    tmp_path: Path, course: str, point: str, key: str, message: str
) -> None:
    folder = _roadmap_copy(tmp_path, _lesson_from(course, point))
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    (problem,) = caught.value.problems
    assert problem.file == folder / SECTION
    assert message in problem.message and problem.message.startswith("lesson_from: ")
    written = (folder / SECTION).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert written.strip() == f"{key}: {course if key == 'course' else point}"
    assert problem.column == written.index(": ") + 3  # at the value, like other references


def test_a_reference_to_a_borrowed_lesson_is_refused(tmp_path: Path) -> None:
    chained = _lesson_from("python-backend", FLAGSHIP_POINT).replace("        ", "  " * 4)
    folder = _roadmap_copy(tmp_path, _lesson_from("backend-roadmap", "conditionals-and-loops"))
    section = folder / SECTION
    loops = "        title: Conditional statements and loops\n"
    section.write_text(
        section.read_text(encoding="utf-8").replace(loops, loops + chained, 1), encoding="utf-8"
    )
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    (problem,) = caught.value.problems
    assert "borrows its lesson too" in problem.message


def test_lesson_and_lesson_from_together_are_refused(tmp_path: Path) -> None:
    folder = _roadmap_copy(tmp_path, _lesson_from("python-backend", FLAGSHIP_POINT))
    section = folder / SECTION
    text = section.read_text(encoding="utf-8")
    own = text.index("        lesson:\n")  # the next point's own lesson, moved up
    functions = text.index("      - id: functions-and-scope")
    lesson = text[own : text.index("      - id:", own)]
    moved = text[:functions] + text[functions:].replace(lesson, "", 1)
    section.write_text(moved.replace(POINT, POINT + lesson, 1), encoding="utf-8")
    with pytest.raises(CourseInvalid) as caught:
        load_course(folder)
    assert any("own lesson or a lesson_from, not both" in p.message for p in caught.value.problems)


def test_a_why_is_required(tmp_path: Path) -> None:
    lines = _lesson_from("python-backend", FLAGSHIP_POINT).replace(
        "why: It teaches the same thing.", 'why: "  "'
    )
    with pytest.raises(CourseInvalid) as caught:
        load_course(_roadmap_copy(tmp_path, lines))
    assert any("why" in p.message for p in caught.value.problems)


def test_the_library_can_hold_other_courses(tmp_path: Path) -> None:
    """A course of a courses folder may lend too (the web app's catalogue)."""
    folder = _roadmap_copy(tmp_path, _lesson_from("my-copy", FLAGSHIP_POINT))
    shutil.copytree(bundled_course_dirs()["python-backend"], tmp_path / "extra" / "my-copy")
    with pytest.raises(CourseInvalid):
        load_course(folder)  # the bundled courses alone: no such course
    course = load_course(folder, library=Catalogue.bundled(tmp_path / "extra"))
    ref = course.outline.point("variables-types-operators")
    assert ref is not None and ref.borrowed is not None
    assert ref.borrowed.course_id == "python-backend"  # the copy keeps the flagship's id


def test_validate_reports_a_bad_reference_and_exits_1(tmp_path: Path) -> None:
    folder = _roadmap_copy(tmp_path, _lesson_from("python-backend", "no-such-point"))
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
    course = load_course(_roadmap_copy(tmp_path, f'        brief: "{brief}"\n'))
    pos = nav.parse_position(course, "variables-types-operators")
    task = flow.Teach(position=pos, number=1, total=nav.point_number(course, pos)[1])
    messages = build_messages(course, flow.state_at(course, pos), task)
    assert f"“{brief}”" in messages[-1].content
    assert "“Variables, data types, and operators”" not in messages[-1].content
    assert course.outline.point("variables-types-operators").point.title == (  # type: ignore[union-attr]
        "Variables, data types, and operators"
    )
