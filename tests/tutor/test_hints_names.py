"""How failing checks are named to the learner (and to the model) in a hint."""

from __future__ import annotations

from exercises.verdict import CheckResult
from tutor.hints import failing_in_words


def test_testfile_checks_are_named_by_their_test() -> None:
    checks = [
        CheckResult(name="test_adds_numbers", passed=False, message="assert 1 == 2"),
        CheckResult(name="test_clock.py::ClockTest::test_on_the_hour", passed=False, message="x"),
        CheckResult(name="test_passes", passed=True, message=""),
    ]
    assert failing_in_words(checks) == ["- adds numbers: assert 1 == 2", "- on the hour: x"]
