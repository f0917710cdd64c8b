"""Run code: the learner's program run in the sandbox, behind the grading gate (its
limits and a Runs-per-minute cap), and shown, never graded or stored. Counted once in
``RUNS``."""

from __future__ import annotations

from curriculum.model import CodeExercise
from curriculum.outline import ExerciseRef
from exercises.verdict import RunOutput
from web.context import AppContext
from web.observe import RUNS
from web.services.code import clean_source
from web.services.refusals import BadInput, GradingFailed, Refused


async def run_code(*, app: AppContext, user_id: int, ref: ExerciseRef, source: str) -> RunOutput:
    """Run ``source`` as ``__main__``; raises a ``Refused`` when it cannot run."""
    exercise = ref.exercise
    if not isinstance(exercise, CodeExercise):
        raise BadInput("This exercise is not a code exercise.")
    source = clean_source(source)
    try:
        output = await app.grading.run(learner=user_id, exercise=exercise, source=source)
    except GradingFailed:
        RUNS.labels("unavailable").inc()
        raise
    except Refused:
        RUNS.labels("refused").inc()
        raise
    RUNS.labels("ok" if output.ok else "error").inc()
    return output
