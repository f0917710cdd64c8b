"""The grading gate: how checks wait for a runner without hurting the rest of the server.

* Grading never holds a database connection: callers read before and write after, and
  the gate's own database steps (below) are short transactions of their own.
* A check takes a runner slot (one per sandboxed runner) while it runs; checks beyond
  the runners wait for one *on the event loop* (no thread, no connection held), and
  at most ``grading_queue`` may wait: beyond that the answer is "busy, retry"
  (:class:`GradersBusy`, 503 with ``Retry-After``).  A check waits at most
  ``grading_wait_s`` for its runner, then gets the same answer: so every check is
  answered within that wait plus its own run, never after an unbounded queue.
* A check request may carry a deadline (``TUTOR_CHECK_DEADLINE_S`` after it arrived):
  then it waits for a runner only while enough of it is left to run one check (see
  ``_wait_s``), and the grader stops its checks at the deadline (``exercises.grade``). A check that
  cannot be graded in time is answered "busy, retry" too, unless a check that ran had
  already failed (then the verdict stands). So every check is answered by its deadline.
* One learner may have at most ``checks_per_learner`` checks running or waiting
  (:class:`TooManyChecks`, 429 with ``Retry-After``), counted in the database across
  every process and host (a ``check`` token of :mod:`web.ratelimit`, taken for a
  lease of :data:`LEASE`; each process renews the leases of its checks every
  :data:`RENEW_EVERY_S` while they run, so a process that dies mid-check frees its
  learners' tokens within the lease).
* A Run (the learner's program run without grading) goes through the same gate, counted
  with the checks, and at most ``runs_per_minute`` per learner (:class:`TooManyRuns`),
  in the database too.
* Grading threads come from the gate's own limiter, never from the worker threads that
  serve pages, so saturated graders leave every other page unaffected.

The runners, the queue and the wait are per server process (each ``--workers`` process
has its own runners); the per-learner limits are not.

The gate owns the grader: made when first needed, closed when the last running
lifespan of the app ends (test clients may run an app's lifespan more than once, or
two at a time), and made afresh if the app starts again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial

from anyio import CancelScope, CapacityLimiter, WouldBlock, move_on_after, sleep, to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from curriculum.model import CodeExercise
from exercises.grade import Grader, GraderError, OutOfTime, SandboxUnavailable
from exercises.verdict import RunOutput, Verdict
from tutor.settings import Sandbox
from web.ratelimit import MINUTE, Quota
from web.services.refusals import GradersBusy, GradingFailed, TooManyChecks, TooManyRuns
from web.services.transaction import in_transaction

RETRY_AFTER_S = 5
CHECK_SLACK_S = 1.0
"""Beside its import and its run (``time_s`` each), what one check may cost: a child to
take, the answer to send."""
LEASE = timedelta(seconds=30)
"""How long a check's token counts without being renewed (a process died mid-check)."""
RENEW_EVERY_S = 10.0

log = logging.getLogger("web.grading")


def _start(grader: Grader) -> None:
    try:
        grader.start()
    except GraderError as exc:
        log.warning("grading runners did not start: %s", exc)


def _too_many_checks(limit: int) -> Callable[[int], TooManyChecks]:
    # the soonest lease says nothing of when a running check ends: a short wait instead
    return lambda _: TooManyChecks(limit=limit, retry_after=RETRY_AFTER_S)


class GradingGate:
    """Admits checks to the grader: bounded waiting, per-learner limits, own threads."""

    def __init__(
        self,
        *,
        sandbox: Sandbox,
        db_engine: Engine,
        runners: int,
        queue: int,
        per_learner: int,
        runs_per_minute: int = 20,
        max_wait_s: float = 10.0,
    ) -> None:
        self.sandbox: Sandbox = sandbox
        self.db_engine = db_engine
        self.runners = runners
        self.per_learner = per_learner
        self.max_wait_s = max_wait_s
        self._grader: Grader | None = None
        self._lifespans = 0
        self._capacity = runners + queue
        self._slots = CapacityLimiter(runners)  # held from the wait's end to the verdict
        self._threads = CapacityLimiter(runners)  # never waited on: one per slot
        self._admitted = 0
        self._checks = Quota(
            kind="check", limit=per_learner, ttl=LEASE, refuse=_too_many_checks(per_learner)
        )
        self._held: set[int] = set()  # this process's check tokens: their leases are renewed
        self._runs = Quota(
            kind="run",
            limit=runs_per_minute,
            ttl=MINUTE,
            refuse=lambda wait: TooManyRuns(per_minute=runs_per_minute, retry_after=wait),
        )

    @property
    def grader(self) -> Grader:
        """The grader (its runners start with the served app, else at the first check)."""
        if self._grader is None:
            self._grader = Grader(self.sandbox, runners=self.runners)
        return self._grader

    async def start(self, *, warm: bool) -> None:
        """An app lifespan begins; ``warm`` starts the runners now (a refusal is logged,
        and each check then says why it cannot run)."""
        self._lifespans += 1
        if warm:
            await to_thread.run_sync(_start, self.grader)

    async def stop(self) -> None:
        """An app lifespan ends: the last one closes the grader and its runners."""
        self._lifespans -= 1
        if self._lifespans <= 0 and self._grader is not None:
            grader, self._grader = self._grader, None
            await to_thread.run_sync(grader.close)

    async def renew_leases(self) -> None:
        """Renew the leases of this process's checks in flight, every
        :data:`RENEW_EVERY_S`, until cancelled (the app's lifespan runs it)."""
        while True:
            await sleep(RENEW_EVERY_S)
            held = sorted(self._held)
            if not held:
                continue
            try:
                await in_transaction(self.db_engine, partial(self._checks.renew, tokens=held))
            except SQLAlchemyError as exc:  # tried again at the next turn
                log.warning("the leases of %d checks were not renewed: %s", len(held), exc)

    @property
    def admitted(self) -> int:
        """Checks running or waiting for a runner in this process now."""
        return self._admitted

    @asynccontextmanager
    async def _admit(self, learner: int) -> AsyncIterator[None]:
        """The learner's check token (else 429) and a place in this process (else 503),
        both given back at the end, even when the request is cancelled."""
        if self._admitted >= self._capacity:  # full already: no need to ask the database
            raise GradersBusy(retry_after=RETRY_AFTER_S)
        token = await in_transaction(self.db_engine, partial(self._checks.take, learner=learner))
        self._held.add(token)
        try:
            if self._admitted >= self._capacity:
                raise GradersBusy(retry_after=RETRY_AFTER_S)
            self._admitted += 1
            try:
                yield
            finally:
                self._admitted -= 1
        finally:
            self._held.discard(token)
            with CancelScope(shield=True):
                await in_transaction(self.db_engine, partial(Quota.give_back, token=token))

    async def grade(
        self,
        *,
        learner: int,
        exercise: CodeExercise,
        source: str,
        attempt: int,
        deadline: float | None = None,
    ) -> Verdict:
        """Grade ``source`` once a runner is free; refused at once when over a limit.

        With a ``deadline`` (a ``time.monotonic()`` time), the verdict is known by then or
        the answer is "busy, retry" (:class:`GradersBusy`), see the module docstring.
        A cancelled request (client gone) still waits for its running check, so the
        counts always match what the runners are doing.
        """
        async with self._admit(learner):
            await self._take_slot(self._wait_s(exercise, deadline))
            try:
                run = partial(
                    self.grader.grade, exercise, source, attempt=attempt, deadline=deadline
                )
                return await to_thread.run_sync(run, limiter=self._threads)
            except OutOfTime as exc:
                log.info("a check was not graded by its deadline (%s): answered busy", exc)
                raise GradersBusy(retry_after=RETRY_AFTER_S) from None
            except (SandboxUnavailable, GraderError) as exc:
                raise GradingFailed(str(exc)) from None
            finally:
                self._slots.release()

    def _wait_s(self, exercise: CodeExercise, deadline: float | None) -> float:
        """How long a check may wait for a runner: ``max_wait_s``, and with a deadline,
        only while what is left of it still covers one check's worst case (its import
        and its run at ``time_s`` each), or half the deadline for slow exercises."""
        if deadline is None:
            return self.max_wait_s
        left = deadline - time.monotonic()
        reserve = min(2 * exercise.limits.time_s + CHECK_SLACK_S, left / 2)
        return min(self.max_wait_s, left - reserve)

    async def run(self, *, learner: int, exercise: CodeExercise, source: str) -> RunOutput:
        """Run ``source`` (not graded) once a runner is free; refused at once when over a
        limit: the learner's Runs per minute, or the checks' limits (the same bounded
        wait for a runner included)."""
        await in_transaction(self.db_engine, partial(self._runs.take, learner=learner))
        async with self._admit(learner):
            await self._take_slot(self.max_wait_s)
            try:
                run = partial(self.grader.run, exercise, source)
                return await to_thread.run_sync(run, limiter=self._threads)
            except (SandboxUnavailable, GraderError) as exc:
                raise GradingFailed(str(exc)) from None
            finally:
                self._slots.release()

    async def _take_slot(self, wait_s: float) -> None:
        """A runner slot within ``wait_s``, else "busy, retry" (nothing has run)."""
        try:
            self._slots.acquire_nowait()
            return
        except WouldBlock:
            pass
        with move_on_after(max(wait_s, 0)):
            await self._slots.acquire()
            return
        log.info("a check waited %.1f s for a runner: answered busy", max(wait_s, 0))
        raise GradersBusy(retry_after=RETRY_AFTER_S)
