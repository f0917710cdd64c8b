"""The optional course facts (level, hours, prerequisites) and the quiz setting
``quiz_answers_after``: defaults, and each bad value reported at its place."""

from __future__ import annotations

from pathlib import Path

from curriculum import load_course
from tests.curriculum.conftest import COURSE, SECTION, problems, write


def _course(tmp_path: Path, extra: str) -> Path:
    return write(tmp_path, {"course.yaml": COURSE + extra, "sections/one.yaml": SECTION})


def test_the_facts_are_optional_and_the_quiz_default_is_three(course: Path) -> None:
    loaded = load_course(course)
    assert (loaded.level, loaded.hours, loaded.prerequisites) == (None, None, [])
    assert loaded.quiz_answers_after == 3


def test_the_facts_load(tmp_path: Path) -> None:
    extra = (
        "level: beginner\nhours: 12\nprerequisites:\n  - Basic `Python`\nquiz_answers_after: 5\n"
    )
    loaded = load_course(_course(tmp_path, extra))
    assert loaded.level == "beginner" and loaded.hours == 12
    assert loaded.prerequisites == ["Basic `Python`"]
    assert loaded.quiz_answers_after == 5


def test_bad_facts_are_reported_at_their_place(tmp_path: Path) -> None:
    extra = 'level: expert\nhours: 0\nprerequisites: [""]\nquiz_answers_after: 0\n'
    found = problems(_course(tmp_path, extra))
    assert len(found) == 4, found
    assert found[0].startswith("course.yaml:7:8:") and "level: expert" in found[0]
    assert "'beginner'" in found[0]
    assert found[1].startswith("course.yaml:8:8:")
    assert found[2].startswith("course.yaml:9:")
    assert found[3].startswith("course.yaml:10:21:")
