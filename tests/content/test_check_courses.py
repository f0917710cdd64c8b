"""CI proves every bundled course: ``tutor check-course`` must pass on each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curriculum import bundled_course_dirs, load_course
from exercises.grade import Grader
from exercises.prove import prove_course
from exercises.report import proof_text


@pytest.fixture(scope="module")
def grader() -> Iterator[Grader]:
    g = Grader("strict", runners=2)
    yield g
    g.close()


@pytest.mark.slow
@pytest.mark.parametrize("course_id", sorted(bundled_course_dirs()))
def test_bundled_course_is_proved(course_id: str, grader: Grader) -> None:
    course = load_course(bundled_course_dirs()[course_id])
    proof = prove_course(course, grader)
    assert proof.ok, proof_text(proof)
