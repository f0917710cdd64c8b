"""Shared fixtures: the mini course and one strict grader for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import Course, load_course
from curriculum.model import CodeExercise
from exercises.grade import Grader, find_code_exercise

FIXTURES = Path(__file__).parent / "fixtures"
# The fixture courses hold instructors' test files (clock_test.py...): course content,
# graded in the sandbox, not tests of this project.
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def mini() -> Course:
    return load_course(FIXTURES / "mini")


@pytest.fixture(scope="session")
def grader() -> Iterator[Grader]:
    g = Grader("strict", runners=2)
    yield g
    g.close()


def code_exercise(course: Course, exercise_id: str) -> CodeExercise:
    return find_code_exercise(course, exercise_id)
