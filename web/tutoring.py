"""The tutor engine in the web app: lesson cache and usage limits backed by the database,
learner state loaded and saved per turn, events streamed to the page as NDJSON.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import UTC, datetime, timedelta

from anyio import to_thread
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select, update

from curriculum import Course
from curriculum.outline import PointRef
from tutor import flow
from tutor import navigation as nav
from tutor.backends.select import backend_from_settings, engine_options
from tutor.engine import Tutor
from tutor.events import EngineEvent, OutputDone, StateChanged
from tutor.limits import Limiter
from tutor.prompt import render_text
from tutor.settings import Settings
from tutor.state import ExerciseResult, record_reply
from tutor.state import LearnerState as EngineState
from web.db import insert_new, upsert
from web.models import LearnerStateRow, LessonCache, ModelUsage, utcnow
from web.tutorcalls import DbCallLog

SHORTCUTS = {
    "shorter": "Shorter",
    "another_example": "Another example",
    "deeper": "Go deeper",
    "quiz_me": "Quiz me",
}


class DbLessonCache:
    """Generated lessons in the ``lesson_cache`` table (shared by every worker).

    Each read and write runs in a worker thread with a short session of its own.
    """

    def __init__(self, db_engine: Engine) -> None:
        self.db_engine = db_engine

    def _get(self, key: str) -> str | None:
        with Session(self.db_engine) as db:
            row = db.get(LessonCache, key)
            return row.content if row else None

    def _put(self, values: dict[str, str]) -> None:
        with Session(self.db_engine) as db:
            insert_new(db, LessonCache, values)
            db.commit()

    async def get(self, key: str) -> str | None:
        return await to_thread.run_sync(self._get, key)

    async def put(
        self, key: str, markdown: str, *, course_id: str, point_id: str, model: str
    ) -> None:
        values = {
            "key": key,
            "course_id": course_id,
            "point_id": point_id,
            "model": model,
            "content": markdown,
        }
        await to_thread.run_sync(self._put, values)


def _at(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class DbUsageStore:
    """Model calls and tokens per learner in ``model_usage`` (learner = user id), one row
    per call: made before the call (so concurrent calls count), its tokens added after.
    Each read and write runs in a worker thread with a short session of its own."""

    def __init__(self, db_engine: Engine, model: str) -> None:
        self.db_engine = db_engine
        self.model = model

    def _calls_since(self, learner: str, since: float) -> int:
        with Session(self.db_engine) as db:
            query = (
                select(func.count())
                .select_from(ModelUsage)
                .where(ModelUsage.user_id == int(learner), col(ModelUsage.created_at) >= _at(since))
            )
            return int(db.exec(query).one())

    def _add_call(self, learner: str, at: float, course_id: str) -> int:
        with Session(self.db_engine) as db:
            row = ModelUsage(
                user_id=int(learner), course_id=course_id, model=self.model, created_at=_at(at)
            )
            db.add(row)
            db.commit()
            assert row.id is not None
            return row.id

    def _tokens_on(self, learner: str, day: str) -> int:
        start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
        with Session(self.db_engine) as db:
            query = select(func.sum(ModelUsage.prompt_tokens + ModelUsage.completion_tokens)).where(
                ModelUsage.user_id == int(learner),
                col(ModelUsage.created_at) >= start,
                col(ModelUsage.created_at) < start + timedelta(days=1),
            )
            return int(db.exec(query).one() or 0)

    def _add_tokens(self, learner: str, call: int, prompt: int, completion: int) -> None:
        statement = (
            update(ModelUsage)
            .where(col(ModelUsage.id) == call, col(ModelUsage.user_id) == int(learner))
            .values(
                prompt_tokens=col(ModelUsage.prompt_tokens) + prompt,
                completion_tokens=col(ModelUsage.completion_tokens) + completion,
            )
        )
        with Session(self.db_engine) as db:
            db.exec(statement)
            db.commit()

    async def calls_since(self, learner: str, since: float) -> int:
        return await to_thread.run_sync(self._calls_since, learner, since)

    async def add_call(self, learner: str, at: float, *, course_id: str) -> int:
        return await to_thread.run_sync(self._add_call, learner, at, course_id)

    async def tokens_on(self, learner: str, day: str) -> int:
        return await to_thread.run_sync(self._tokens_on, learner, day)

    async def add_tokens(self, learner: str, call: int, *, prompt: int, completion: int) -> None:
        await to_thread.run_sync(self._add_tokens, learner, call, prompt, completion)


def make_tutor(settings: Settings, db_engine: Engine) -> Tutor:
    backend = backend_from_settings(settings)
    options = engine_options(settings)
    limiter = Limiter(options.limits, DbUsageStore(db_engine, backend.model))
    return Tutor(
        backend,
        cache=DbLessonCache(db_engine),
        options=options,
        limiter=limiter,
        calls=DbCallLog(db_engine),
    )


def load_state(db: Session, *, user_id: int, course: Course) -> EngineState:
    """The engine's state for this learner and course (a fresh one if none or unreadable)."""
    row = db.exec(
        select(LearnerStateRow).where(
            LearnerStateRow.user_id == user_id, LearnerStateRow.course_id == course.id
        )
    ).first()
    if row is not None and row.state_json not in ("", "{}"):
        try:
            return EngineState.model_validate_json(row.state_json)
        except ValueError:
            pass
    return flow.new_state(course)


def save_state(db: Session, *, user_id: int, course_id: str, state: EngineState) -> None:
    """Store the engine's state in the caller's transaction (no commit)."""
    keys = {"user_id": user_id, "course_id": course_id}
    values = {"state_json": state.model_dump_json(), "updated_at": utcnow()}
    upsert(db, LearnerStateRow, keys=keys, values=values)


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


async def lesson_events(
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


def note_exercise(
    db: Session,
    *,
    user_id: int,
    course: Course,
    exercise_id: str,
    passed: bool,
    topic_id: str | None,
) -> None:
    """Tell the engine about an exercise result (it adapts: struggled topics, latest result)."""
    state = load_state(db, user_id=user_id, course=course)
    result = ExerciseResult(exercise_id=exercise_id, passed=passed)
    state, _ = flow.step(course, state, flow.ExerciseDone(result=result, topic_id=topic_id))
    save_state(db, user_id=user_id, course_id=course.id, state=state)
