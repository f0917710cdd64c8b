"""Take a tutor turn: the learner's state read, the turn streamed from the engine, the
new state stored (the engine counts calls and tokens through ``DbUsageStore``).
Database work runs in worker threads, never on the event loop, and no connection is
held while the model answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from sqlmodel import Session

from curriculum import Course
from curriculum.outline import PointRef
from tutor import flow
from tutor.events import EngineEvent, StateChanged
from tutor.state import LearnerState as EngineState
from web.context import AppContext
from web.render import markdown
from web.services.transaction import in_transaction, reading
from web.tutoring import at_point, lesson_events, load_state, save_state


async def take_turn(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    ref: PointRef,
    event: flow.Event | None,
) -> AsyncIterator[dict[str, object]]:
    """Stream one turn as JSON-able dicts; ``html`` events carry each output rendered.

    ``event`` None generates the point's lesson.
    """

    def load(db: Session) -> EngineState:
        return at_point(load_state(db, user_id=user_id, course=course), ref)

    state = await reading(app.db_engine, load)
    tutor = app.tutor
    stream: AsyncIterator[EngineEvent] = (
        lesson_events(tutor, course, state, user_id)
        if event is None
        else tutor.turn(course, state, event, learner=str(user_id))
    )
    async for ev in stream:
        if isinstance(ev, StateChanged):
            await _save(app, user_id=user_id, course_id=course.id, state=ev.state)
            continue
        if ev.kind == "lesson":
            continue
        data = json.loads(ev.model_dump_json())
        yield data
        if ev.kind == "done" and data.get("output") != "say":
            yield {"kind": "html", "html": str(markdown(str(data.get("text", ""))))}


async def _save(app: AppContext, *, user_id: int, course_id: str, state: EngineState) -> None:
    def work(db: Session) -> None:
        save_state(db, user_id=user_id, course_id=course_id, state=state)

    await in_transaction(app.db_engine, work)
