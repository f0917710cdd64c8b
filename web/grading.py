"""The grading gate: how checks wait for a runner without hurting the rest of the server.

* Grading never holds a database connection: callers read before and write after.
* A check takes a runner slot (one per sandboxed runner) while it runs; checks beyond
  the runners wait for one *on the event loop* (no thread, no connection held), and
  at most ``grading_queue`` may wait: beyond that the answer is "busy, retry"
  (:class:`GradersBusy`, 503 with ``Retry-After``).
* One learner may have at most ``checks_per_learner`` checks running or waiting
  (:class:`TooManyChecks`, 429 with ``Retry-After``).
* Grading threads come from the gate's own limiter, never from the worker threads that
  serve pages, so saturated graders leave every other page unaffected.

The counts are per server process (each ``--workers`` process has its own runners).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from anyio import CapacityLimiter, to_thread

from curriculum.model import CodeExercise
from exercises.grade import Grader, GraderError, SandboxUnavailable
from exercises.verdict import Verdict
from web.services.refusals import GradersBusy, GradingFailed, TooManyChecks

RETRY_AFTER_S = 5


class GradingGate:
    """Admits checks to the grader: bounded waiting, a per-learner cap, own threads."""

    def __init__(self, *, grader: Grader, runners: int, queue: int, per_learner: int) -> None:
        self.grader = grader
        self.per_learner = per_learner
        self._capacity = runners + queue
        self._slots = CapacityLimiter(runners)
        self._admitted = 0
        self._by_learner: Counter[int] = Counter()

    @property
    def admitted(self) -> int:
        """Checks running or waiting for a runner now."""
        return self._admitted

    @contextmanager
    def _admit(self, learner: int) -> Iterator[None]:
        if self._by_learner[learner] >= self.per_learner:
            raise TooManyChecks(limit=self.per_learner, retry_after=RETRY_AFTER_S)
        if self._admitted >= self._capacity:
            raise GradersBusy(retry_after=RETRY_AFTER_S)
        self._admitted += 1
        self._by_learner[learner] += 1
        try:
            yield
        finally:
            self._admitted -= 1
            self._by_learner[learner] -= 1
            if not self._by_learner[learner]:
                del self._by_learner[learner]

    async def grade(
        self, *, learner: int, exercise: CodeExercise, source: str, attempt: int
    ) -> Verdict:
        """Grade ``source`` once a runner is free; refused at once when over a limit.

        A cancelled request (client gone) still waits for its running check, so the
        counts always match what the runners are doing.
        """
        with self._admit(learner):
            run = partial(self.grader.grade_exercise, exercise, source, attempt=attempt)
            try:
                return await to_thread.run_sync(run, limiter=self._slots)
            except (SandboxUnavailable, GraderError) as exc:
                raise GradingFailed(str(exc)) from None
