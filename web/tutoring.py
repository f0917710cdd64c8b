"""The tutor engine in the web app: lesson cache and usage limits backed by the database,
learner state loaded and saved per turn, events streamed to the page as NDJSON.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from curriculum import Course
from curriculum.outline import PointRef
from tutor import flow
from tutor import navigation as nav
from tutor.backends.select import backend_from_settings, engine_options
from tutor.engine import Tutor
from tutor.events import EngineEvent, OutputDone, StateChanged, Usage
from tutor.limits import Limiter
from tutor.prompt import render_text
from tutor.settings import Settings
from tutor.state import ExerciseResult, record_reply
from tutor.state import LearnerState as EngineState
from web.models import LearnerState, LessonCache, ModelUsage, utcnow
from web.render import markdown

SHORTCUTS = {
    "shorter": "Shorter",
    "another_example": "Another example",
    "deeper": "Go deeper",
    "quiz_me": "Quiz me",
}


class DbLessonCache:
    """Generated lessons in the ``lesson_cache`` table (shared by every worker)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> str | None:
        with Session(self.engine) as db:
            row = db.get(LessonCache, key)
            return row.content if row else None

    def put(self, key: str, markdown: str, *, course_id: str, point_id: str, model: str) -> None:
        with Session(self.engine) as db:
            if db.get(LessonCache, key) is None:
                db.add(
                    LessonCache(
                        key=key,
                        course_id=course_id,
                        point_id=point_id,
                        model=model,
                        content=markdown,
                    )
                )
                db.commit()


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class DbUsageStore:
    """Model calls and tokens per learner in ``model_usage`` (learner = user id)."""

    def __init__(self, engine: Engine, model: str) -> None:
        self.engine = engine
        self.model = model

    def calls_since(self, learner: str, since: float) -> int:
        with Session(self.engine) as db:
            query = (
                select(func.count())
                .select_from(ModelUsage)
                .where(ModelUsage.user_id == int(learner), col(ModelUsage.created_at) >= _at(since))
            )
            return int(db.exec(query).one())

    def add_call(self, learner: str, at: float) -> None:
        with Session(self.engine) as db:
            db.add(
                ModelUsage(user_id=int(learner), course_id="", model=self.model, created_at=_at(at))
            )
            db.commit()

    def tokens_on(self, learner: str, day: str) -> int:
        start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
        with Session(self.engine) as db:
            query = select(func.sum(ModelUsage.prompt_tokens + ModelUsage.completion_tokens)).where(
                ModelUsage.user_id == int(learner),
                col(ModelUsage.created_at) >= start,
                col(ModelUsage.created_at) < start + timedelta(days=1),
            )
            return int(db.exec(query).one() or 0)

    def add_tokens(self, learner: str, day: str, tokens: int) -> None:
        """Tokens are stored by :func:`record_usage` with their prompt/completion split."""


def record_usage(
    engine: Engine, user_id: int, course_id: str, prompt: int, completion: int
) -> None:
    """Add a call's tokens to the learner's latest usage row (made by ``add_call``)."""
    with Session(engine) as db:
        row = db.exec(
            select(ModelUsage)
            .where(ModelUsage.user_id == user_id)
            .order_by(col(ModelUsage.id).desc())
        ).first()
        row = row or ModelUsage(user_id=user_id, course_id=course_id, model="")
        row.course_id = course_id
        row.prompt_tokens += prompt
        row.completion_tokens += completion
        db.add(row)
        db.commit()


def make_tutor(settings: Settings, engine: Engine) -> Tutor:
    backend = backend_from_settings(settings)
    options = engine_options(settings)
    limiter = Limiter(options.limits, DbUsageStore(engine, backend.model))
    return Tutor(backend, cache=DbLessonCache(engine), options=options, limiter=limiter)


def load_state(db: Session, user_id: int, course: Course) -> EngineState:
    row = db.exec(
        select(LearnerState).where(
            LearnerState.user_id == user_id, LearnerState.course_id == course.id
        )
    ).first()
    if row is not None and row.state_json not in ("", "{}"):
        try:
            return EngineState.model_validate_json(row.state_json)
        except ValueError:
            pass
    return flow.new_state(course)


def save_state(db: Session, user_id: int, course_id: str, state: EngineState) -> None:
    row = db.exec(
        select(LearnerState).where(
            LearnerState.user_id == user_id, LearnerState.course_id == course_id
        )
    ).first()
    row = row or LearnerState(user_id=user_id, course_id=course_id)
    row.state_json, row.updated_at = state.model_dump_json(), utcnow()
    db.add(row)
    db.commit()


def at_point(state: EngineState, ref: PointRef) -> EngineState:
    """The engine state moved to the page's point (the learner navigates freely)."""
    return state.model_copy(update={"position": ref.position, "taught": True})


def offline_prompt(tutor: Tutor, course: Course, state: EngineState, ref: PointRef) -> str:
    """The exact prompt for this point's lesson, for the copy-the-prompt button."""
    state = at_point(state, ref)
    total = len(course.outline.section_points(ref.section_index))
    task = flow.Teach(position=ref.position, variant="lesson", number=ref.number, total=total)
    return render_text(tutor.request(course, state, task).messages)


def event_for(action: str, question: str) -> flow.Event | None:
    if action == "lesson":
        return None
    if action in SHORTCUTS:
        return flow.Shortcut(name=action)
    return flow.Reply(text=question)


async def _lesson(
    tutor: Tutor, course: Course, state: EngineState, user_id: int
) -> AsyncIterator[EngineEvent]:
    """Teach the point at the state's position afresh (the page's "generate" button)."""
    number, total = nav.point_number(course, state.position)
    task = flow.Teach(position=state.position, variant="lesson", number=number, total=total)
    shown = ""
    async with aclosing(tutor.show(course, state, task, str(user_id))) as events:
        async for ev in events:
            if isinstance(ev, OutputDone):
                shown = ev.text
            yield ev
    yield StateChanged(state=record_reply(state, shown))


async def run_turn(
    tutor: Tutor,
    engine: Engine,
    course: Course,
    user_id: int,
    ref: PointRef,
    event: flow.Event | None,
) -> AsyncIterator[dict[str, object]]:
    """Stream one turn as JSON-able dicts; ``html`` events carry each output rendered.

    ``event`` None generates the point's lesson.
    """
    with Session(engine) as db:
        state = at_point(load_state(db, user_id, course), ref)
    stream = (
        _lesson(tutor, course, state, user_id)
        if event is None
        else tutor.turn(course, state, event, learner=str(user_id))
    )
    async for ev in stream:
        if isinstance(ev, StateChanged):
            with Session(engine) as db:
                save_state(db, user_id, course.id, ev.state)
            continue
        if isinstance(ev, Usage):
            record_usage(engine, user_id, course.id, ev.prompt_tokens, ev.completion_tokens)
        if ev.kind == "lesson":
            continue
        data = json.loads(ev.model_dump_json())
        yield data
        if ev.kind == "done" and data.get("output") != "say":
            yield {"kind": "html", "html": str(markdown(str(data.get("text", ""))))}


def note_exercise(
    db: Session, user_id: int, course: Course, exercise_id: str, passed: bool, topic_id: str | None
) -> None:
    """Tell the engine about an exercise result (it adapts: struggled topics, latest result)."""
    state = load_state(db, user_id, course)
    result = ExerciseResult(exercise_id=exercise_id, passed=passed)
    state, _ = flow.step(course, state, flow.ExerciseDone(result=result, topic_id=topic_id))
    save_state(db, user_id, course.id, state)
