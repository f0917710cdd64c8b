"""Common mistakes: which of an exercise's mistakes a graded submission shows."""

from __future__ import annotations

from curriculum.model import CodeExercise
from exercises import patterns
from exercises.verdict import CheckResult


def detect_mistakes(exercise: CodeExercise, source: str, checks: list[CheckResult]) -> list[str]:
    """Messages of the mistakes whose every trigger holds: a failing check, a pattern.

    Patterns are searched with RE2 (:mod:`exercises.patterns`), in time linear in the
    source, so no submission can stall the server here.
    """
    failed = {c.name for c in checks if not c.passed}
    found = []
    for mistake in exercise.mistakes:
        hits = []
        if mistake.failing_check is not None:
            hits.append(mistake.failing_check in failed)
        if mistake.pattern is not None:
            hits.append(patterns.search(mistake.pattern, source))
        if all(hits):
            found.append(mistake.message)
    return found
