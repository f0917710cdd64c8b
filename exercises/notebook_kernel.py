"""What an exported notebook's grading cells call, inside the learner's Jupyter kernel.

``grade_answer(course, exercise_id)`` finds the learner's latest run of the exercise's
answer cell in the kernel's input history (IPython's ``In``), grades it in Tutor's
sandbox and prints the verdict.  The sandbox mode comes from ``TUTOR_SANDBOX``
(default strict).  Each call starts one runner and stops it afterwards.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from exercises.notebook import ANSWER_MARK, strip_mark


def answer_from_history(exercise_id: str, history: Sequence[str] | None = None) -> str | None:
    """The latest executed cell that starts with the exercise's answer mark."""
    if history is None:
        main = sys.modules.get("__main__")
        found = getattr(main, "In", None)
        history = found if isinstance(found, list) else []
    mark = ANSWER_MARK.format(id=exercise_id)
    for source in reversed(history):
        if isinstance(source, str) and source.lstrip().startswith(mark):
            return strip_mark(source, exercise_id)
    return None


def grade_answer(
    course: str, exercise_id: str, source: str | None = None, history: Sequence[str] | None = None
) -> bool | None:
    """Grade the answer; print the verdict; return whether it passed (None: nothing to grade)."""
    from curriculum import resolve_course
    from exercises.grade import Grader, find_code_exercise
    from exercises.report import verdict_text

    if source is None:
        source = answer_from_history(exercise_id, history)
    if source is None:
        print(f"Run the answer cell of '{exercise_id}' first, then this cell.")
        return None
    exercise = find_code_exercise(resolve_course(course), exercise_id)
    with Grader(os.environ.get("TUTOR_SANDBOX", "strict"), runners=1) as grader:
        verdict = grader.grade(exercise, source)
    print(verdict_text(verdict))
    return verdict.passed
