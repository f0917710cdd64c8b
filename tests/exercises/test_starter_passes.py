"""``starter_passes``: a refactoring exercise's starter already passes, and check-course
proves that instead of proving it fails (real sandbox)."""

from __future__ import annotations

from curriculum.model import CodeExercise, Course, Point, Section, Topic
from exercises.grade import Grader
from exercises.prove import prove_course

CHECKS = "def test_double(submission):\n    assert submission.call('double', 4) == 8\n"
WORKING = (
    "def double(x):\n    total = 0\n    for _ in range(2):\n        total += x\n    return total\n"
)


def _course(starter: str, *, starter_passes: bool) -> Course:
    exercise = CodeExercise(
        kind="code",
        id="refactor-double",
        title="Refactor double",
        prompt="Make `double` read clearly; keep it working.",
        starter=starter,
        solution="def double(x):\n    return 2 * x\n",
        checks=CHECKS,
        starter_passes=starter_passes,
    )
    topic = Topic(id="t", title="T", points=[Point(id="p", title="P")], exercises=[exercise])
    return Course(
        id="c", title="C", description="d", sections=[Section(id="s", title="S", topics=[topic])]
    )


def _claims(course: Course, grader: Grader) -> dict[str, bool]:
    return {item.what: item.ok for item in prove_course(course, grader).items}


def test_a_passing_starter_is_proved_when_declared(grader: Grader) -> None:
    claims = _claims(_course(WORKING, starter_passes=True), grader)
    assert claims == {"the solution passes": True, "the starter passes (starter_passes)": True}


def test_a_declared_passing_starter_that_fails_is_reported(grader: Grader) -> None:
    broken = "def double(x):\n    return x\n"
    claims = _claims(_course(broken, starter_passes=True), grader)
    assert claims["the starter passes (starter_passes)"] is False


def test_without_the_setting_a_passing_starter_is_still_a_failure(grader: Grader) -> None:
    claims = _claims(_course(WORKING, starter_passes=False), grader)
    assert claims["the starter fails"] is False
