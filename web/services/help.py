"""Help on a code exercise in the web app: the learner's code graded, then the next rung of
the hint ladder (:meth:`tutor.engine.Tutor.help`: its model calls metered and recorded),
the learner's place on the ladder kept in ``exercise_help``, the code asked about kept as
their draft, the exchange added to the exercise's conversation.

Bounded before any work: the code's length, the question's length, help requests per
learner per minute (``TUTOR_ATTEMPTS_PER_MINUTE``, like checks; counted exactly across
workers, :func:`help_quota`), the grading gate's per-learner cap,
and the tutor's per-learner model limits (calls a minute, tokens a day: the engine's).
A model reply streams its prose as it arrives; its code is held (:class:`tutor.holdcode.ProseOnly`)
until the solution guard has checked the whole reply.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field, replace

from sqlmodel import Session, select

from curriculum import Course
from curriculum.model import CodeExercise
from curriculum.outline import ExerciseRef
from exercises.verdict import Verdict
from tutor.backends.base import Backend, ModelRequest
from tutor.events import BackendEvent, Delta
from tutor.help import HelpReply, HelpRequest
from tutor.holdcode import ProseOnly
from web.context import AppContext
from web.db import upsert
from web.drafts import save_draft
from web.models import ExerciseHelpRow, utcnow
from web.ratelimit import Quota
from web.services.chat import (
    add_messages,
    exercise_scope,
    learner_says,
    tutor_says,
)
from web.services.code import clean_source
from web.services.recording import attempt_quota
from web.services.refusals import BadInput, Refused
from web.services.transaction import in_transaction
from web.tutor_view import event_html

MAX_KEPT = 20
ADVANCES = frozenset({"authored", "model", "withheld"})


@dataclass
class HelpPlace:
    """Where the learner is on the ladder of one exercise."""

    level: int = 0
    given: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


def _loads(text: str) -> list[str]:
    try:
        found = json.loads(text)
    except ValueError:
        return []
    return [str(x) for x in found] if isinstance(found, list) else []


def _row(db: Session, user_id: int, course_id: str, exercise_id: str) -> ExerciseHelpRow | None:
    query = select(ExerciseHelpRow).where(
        ExerciseHelpRow.user_id == user_id,
        ExerciseHelpRow.course_id == course_id,
        ExerciseHelpRow.exercise_id == exercise_id,
    )
    return db.exec(query).first()


def help_quota(per_minute: int) -> Quota:
    """At most ``per_minute`` requests for help per learner in any minute (all exercises):
    counted as attempts are, separately from them."""
    return replace(attempt_quota(per_minute), kind="help")


def _admit(
    db: Session, user_id: int, course_id: str, exercise_id: str, source: str, per_minute: int
) -> HelpPlace:
    # counted first in the transaction, so concurrent requests (any worker) count exactly
    help_quota(per_minute).take(db, user_id)
    row = _row(db, user_id, course_id, exercise_id)
    keys = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    upsert(db, ExerciseHelpRow, keys=keys, values={"updated_at": utcnow()})
    # the code asked about is the learner's draft: the page shows it when they come back
    save_draft(db, user_id=user_id, course_id=course_id, exercise_id=exercise_id, source=source)
    if row is None:
        return HelpPlace()
    return HelpPlace(row.level, _loads(row.given_json), _loads(row.blocks_json))


def _advance(
    db: Session, user_id: int, course_id: str, exercise_id: str, place: HelpPlace, reply: HelpReply
) -> None:
    keys = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    values = {
        "level": reply.level + 1,
        "given_json": json.dumps([*place.given, reply.text][-MAX_KEPT:]),
        "blocks_json": json.dumps([*place.blocks, *reply.shown_blocks][-MAX_KEPT:]),
        "updated_at": utcnow(),
    }
    upsert(db, ExerciseHelpRow, keys=keys, values=values)


async def admit_help(
    *, app: AppContext, user_id: int, course: Course, ref: ExerciseRef, source: str, question: str
) -> tuple[CodeExercise, str, HelpPlace]:
    """Check the request's bounds and count it; raises a ``Refused`` before any work."""
    exercise = ref.exercise
    if not isinstance(exercise, CodeExercise):
        raise BadInput("Help is for code exercises.")
    source = clean_source(source)
    limit = app.settings.max_question_chars
    if len(question) > limit:
        raise BadInput(
            f"Your question is too long ({len(question):,} characters; the limit is {limit:,})."
        )

    def work(db: Session) -> HelpPlace:
        return _admit(db, user_id, course.id, exercise.id, source, app.settings.attempts_per_minute)

    return exercise, source, await in_transaction(app.db_engine, work)


class _Tap:
    """Wraps the engine's metered backend for one request for help: the prose of each
    reply goes to ``out`` as it arrives, its code is held (:class:`ProseOnly`); a second
    call (the stricter ask after a held-back reply) first puts a ``restart``."""

    def __init__(self, backend: Backend, out: asyncio.Queue[dict[str, object] | None]) -> None:
        self.backend = backend
        self.out = out
        self.calls = 0

    @property
    def model(self) -> str:
        return self.backend.model

    @property
    def generates(self) -> bool:
        return self.backend.generates

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        if self.calls:
            await self.out.put({"kind": "restart"})
        self.calls += 1
        prose = ProseOnly()
        async with aclosing(self.backend.stream(request)) as events:
            async for ev in events:
                if isinstance(ev, Delta) and (shown := prose.feed(ev.text)):
                    await self.out.put({"kind": "delta", "text": shown})
                yield ev
        if rest := prose.end():
            await self.out.put({"kind": "delta", "text": rest})


async def help_events(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    exercise: CodeExercise,
    source: str,
    question: str,
    place: HelpPlace,
    deadline: float | None = None,
) -> AsyncIterator[dict[str, object]]:
    """Stream the help (``delta``, ``restart``, ``html``) and keep what it changed.

    The code is graded by ``deadline`` (a ``time.monotonic()`` time, as a check's), else
    the help says the graders are busy."""
    out: asyncio.Queue[dict[str, object] | None] = asyncio.Queue()
    tutor = app.tutor

    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await app.grading.grade(
            learner=user_id, exercise=ex, source=src, attempt=place.level + 1, deadline=deadline
        )

    request = HelpRequest(
        course=course,
        exercise=exercise,
        source=source,
        level=place.level,
        question=question.strip(),
        given=place.given,
        earlier_blocks=place.blocks,
    )

    def tap(backend: Backend) -> Backend:
        return _Tap(backend, out)

    async def run() -> HelpReply:
        try:
            return await tutor.help(request, grade=grade, learner=str(user_id), tap=tap)
        finally:
            await out.put(None)

    task = asyncio.create_task(run())
    try:
        while (item := await out.get()) is not None:
            yield item
        html = await _finish(app, user_id, course, exercise, place, await task)
    except Refused as exc:
        html = event_html(
            app.templates, course, {"kind": "error", "message": exc.message}, instructor=False
        )
    finally:
        if not task.done():
            task.cancel()
    yield {"kind": "html", "html": html, "ends": True}
    said = "Help" + (f": {question.strip()}" if question.strip() else "")
    await add_messages(
        app=app,
        user_id=user_id,
        course_id=course.id,
        scope=exercise_scope(exercise.id),
        new=[learner_says(said), tutor_says(html)],
    )


async def _finish(
    app: AppContext,
    user_id: int,
    course: Course,
    exercise: CodeExercise,
    place: HelpPlace,
    reply: HelpReply,
) -> str:
    if reply.kind in ADVANCES:

        def work(db: Session) -> None:
            _advance(db, user_id, course.id, exercise.id, place, reply)

        await in_transaction(app.db_engine, work)
    ev: dict[str, object] = {"kind": "text", "text": reply.text}
    if reply.kind == "error":
        ev = {"kind": "error", "message": reply.text}
    return event_html(app.templates, course, ev, instructor=False)
