"""Help on a code exercise in the web app: the learner's code graded, then the next rung of
the hint ladder (:func:`tutor.help.help_with`), the learner's place on the ladder kept in
``exercise_help``, the exchange added to the exercise's conversation.

Bounded before any work: the code's length, the question's length, help requests per
minute (``TUTOR_ATTEMPTS_PER_MINUTE``, like checks), the grading gate's per-learner cap,
and the tutor's per-learner model limits (calls a minute, tokens a day).  A model reply
streams its prose as it arrives; its code is held (:class:`tutor.holdcode.ProseOnly`)
until the solution guard has checked the whole reply.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from curriculum import Course
from curriculum.model import CodeExercise
from curriculum.outline import ExerciseRef
from exercises.verdict import Verdict
from tutor.backends.base import Backend, ModelRequest
from tutor.events import BackendEvent, Delta, ErrorEvent, Usage
from tutor.help import HelpReply, HelpRequest, help_with
from tutor.holdcode import ProseOnly
from tutor.limits import Limiter
from web.context import AppContext
from web.db import upsert
from web.models import ExerciseHelpRow, utcnow
from web.services.chat import (
    Message,
    add_messages,
    exercise_scope,
    learner_says,
    read_messages,
    tutor_says,
)
from web.services.code import clean_source
from web.services.refusals import BadInput, Refused, TooManyAttempts
from web.services.transaction import in_transaction, reading
from web.tutor_view import event_html

MAX_KEPT = 20
WINDOW_S = 60.0
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


def _admit(
    db: Session, user_id: int, course_id: str, exercise_id: str, source: str, per_minute: int
) -> HelpPlace:
    row = _row(db, user_id, course_id, exercise_id)
    now = time.time()
    recent = [float(t) for t in _loads(row.recent_json) if now - float(t) < WINDOW_S] if row else []
    if len(recent) >= per_minute:
        raise TooManyAttempts(per_minute=per_minute, retry_after=int(WINDOW_S))
    keys = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    values = {
        "recent_json": json.dumps([*recent, now]),
        "source": source,
        "updated_at": utcnow(),
    }
    upsert(db, ExerciseHelpRow, keys=keys, values=values)
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


class _Watched:
    """The tutor's backend for one learner's help: model calls and tokens counted against
    the learner's limits; prose deltas put on ``out`` as they arrive, code held."""

    def __init__(
        self,
        backend: Backend,
        limiter: Limiter,
        learner: str,
        out: asyncio.Queue[dict[str, object] | None],
    ) -> None:
        self.backend = backend
        self.limiter = limiter
        self.learner = learner
        self.out = out
        self.calls = 0

    @property
    def model(self) -> str:
        return self.backend.model

    @property
    def generates(self) -> bool:
        return self.backend.generates

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        refused = await self.limiter.check(self.learner)
        if refused:
            yield ErrorEvent(code="limit", message=refused)
            return
        call = await self.limiter.record_call(self.learner, course_id=request.course.id)
        if self.calls:
            await self.out.put({"kind": "restart"})
        self.calls += 1
        prose = ProseOnly()
        async with aclosing(self.backend.stream(request)) as events:
            async for ev in events:
                if isinstance(ev, Delta) and (shown := prose.feed(ev.text)):
                    await self.out.put({"kind": "delta", "text": shown})
                elif isinstance(ev, Usage):
                    await self.limiter.record_tokens(
                        self.learner, call, prompt=ev.prompt_tokens, completion=ev.completion_tokens
                    )
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
) -> AsyncIterator[dict[str, object]]:
    """Stream the help (``delta``, ``restart``, ``html``) and keep what it changed."""
    out: asyncio.Queue[dict[str, object] | None] = asyncio.Queue()
    tutor = app.tutor
    backend = _Watched(tutor.backend, tutor.limiter, str(user_id), out)

    async def grade(ex: CodeExercise, src: str) -> Verdict:
        return await app.grading.grade(
            learner=user_id, exercise=ex, source=src, attempt=place.level + 1
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

    async def run() -> HelpReply:
        try:
            max_tokens = tutor.options.limits.max_reply_tokens
            return await help_with(request, grade=grade, backend=backend, max_tokens=max_tokens)
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


@dataclass(frozen=True)
class HelpPage:
    """What an exercise page shows of the learner's help: the conversation, and the code
    they last asked about (and when), which the editor keeps if newer than their attempts."""

    messages: list[Message]
    source: str = ""
    asked_at: datetime | None = None


async def help_page(*, app: AppContext, user_id: int, course_id: str, exercise_id: str) -> HelpPage:
    def work(db: Session) -> HelpPage:
        scope = exercise_scope(exercise_id)
        messages = read_messages(db, user_id=user_id, course_id=course_id, scope=scope)
        row = _row(db, user_id, course_id, exercise_id)
        if row is None:
            return HelpPage(messages)
        return HelpPage(messages, row.source, row.updated_at)

    return await reading(app.db_engine, work)
