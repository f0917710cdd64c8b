"""The tutor on a lesson page: questions and shortcuts, streamed as NDJSON (or a page)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from web.deps import AppDep, LoadedDep, UserDep, course_of, render
from web.services.turn import take_turn
from web.tutoring import SHORTCUTS, event_for

router = APIRouter(include_in_schema=False)

ACTIONS = frozenset({"ask", "lesson", *SHORTCUTS})


async def _ndjson(events: AsyncIterator[dict[str, object]]) -> AsyncIterator[bytes]:
    async for ev in events:
        yield (json.dumps(ev) + "\n").encode()


@router.post("/courses/{course_id}/learn/{point_id}/tutor")
async def tutor_turn(
    request: Request,
    app: AppDep,
    entry: LoadedDep,
    point_id: str,
    user: UserDep,
    action: Annotated[str, Form(max_length=20)] = "ask",
    question: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Ask a question or use a shortcut; JS clients get a stream, others a page."""
    course = course_of(entry)
    ref = course.outline.point(point_id)
    if ref is None:
        raise HTTPException(404, "No such point in this course.")
    if action not in ACTIONS or (action == "ask" and not question.strip()):
        raise HTTPException(400, "Type a question, or pick one of the shortcuts.")
    events = take_turn(
        app=app, user_id=user.id, course=course, ref=ref, event=event_for(action, question)
    )
    if "application/x-ndjson" in request.headers.get("accept", ""):
        return StreamingResponse(_ndjson(events), media_type="application/x-ndjson")
    shown = [ev async for ev in events]
    return render(
        request,
        "tutor_reply.html",
        title=ref.point.title,
        course=course,
        ref=ref,
        events=shown,
        question=question if action == "ask" else SHORTCUTS.get(action, ""),
    )
