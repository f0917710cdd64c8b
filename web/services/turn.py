"""Take a tutor turn: the learner's state read, the turn streamed from the engine, the
new state stored (the engine counts calls and tokens through ``DbUsageStore``), and the
exchange added to the learner's conversation about the point.
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
from web.services.chat import add_messages, learner_says, point_scope, tutor_says
from web.services.transaction import in_transaction, reading
from web.tutor_view import event_html
from web.tutoring import at_point, lesson_events, load_state, save_state


async def take_turn(
    *,
    app: AppContext,
    user_id: int,
    course: Course,
    ref: PointRef,
    event: flow.Event | None,
    instructor: bool = False,
    said: str = "",
) -> AsyncIterator[dict[str, object]]:
    """Stream one turn as JSON-able dicts: the engine's events (less the prompt, shown to
    instructors only), each followed by an ``html`` event with what it shows, rendered
    (the one that ends an output, ``ends``, replaces its ``delta`` text).

    ``event`` None generates the point's lesson. ``said`` (the learner's question or
    the shortcut's name) and the reply are added to the point's conversation.
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
    shown: list[str] = []
    slot: int | None = None  # where the output being streamed goes in ``shown``
    async for ev in stream:
        if isinstance(ev, StateChanged):
            await _save(app, user_id=user_id, course_id=course.id, state=ev.state)
            continue
        if ev.kind == "lesson" or (ev.kind == "prompt" and not instructor):
            continue
        data = json.loads(ev.model_dump_json())
        yield data  # the engine's event as it is, for scripts; pages use ``html``
        if ev.kind == "delta":
            if slot is None:
                slot = len(shown)
                shown.append("")
            continue
        if ev.kind == "done":
            if ev.output == "say":
                continue
            data = {"kind": "text", "text": ev.text}
        html = event_html(app.templates, course, data, instructor=instructor)
        if not html:
            continue
        if ev.kind == "done" and slot is not None:
            shown[slot], slot = html, None
        else:
            shown.append(html)
        yield {"kind": "html", "html": html, "ends": ev.kind == "done"}
    if said:
        new = [learner_says(said), tutor_says("\n".join(h for h in shown if h))]
        await add_messages(
            app=app, user_id=user_id, course_id=course.id, scope=point_scope(ref.point.id), new=new
        )


async def _save(app: AppContext, *, user_id: int, course_id: str, state: EngineState) -> None:
    def work(db: Session) -> None:
        save_state(db, user_id=user_id, course_id=course_id, state=state)

    await in_transaction(app.db_engine, work)
