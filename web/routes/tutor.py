"""The tutor on a lesson page: questions and shortcuts, streamed as NDJSON to scripts;
without JavaScript the reply is stored in the conversation and the browser is sent back
to the lesson (POST-redirect-GET), where the conversation shows it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from web.deps import AppDep, LoadedDep, UserDep, course_of, render
from web.services.chat import clear_conversation, point_scope
from web.services.turn import take_turn
from web.streaming import NDJSON, ndjson, wants_stream
from web.tutoring import SHORTCUTS, event_for

router = APIRouter(include_in_schema=False)

ACTIONS = frozenset({"ask", "lesson", *SHORTCUTS})


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
    """Ask a question or use a shortcut; JS clients get a stream, others a redirect
    (or, for a generated lesson, a page)."""
    course = course_of(entry)
    ref = course.outline.point(point_id)
    if ref is None:
        raise HTTPException(404, "No such point in this course.")
    if action not in ACTIONS or (action == "ask" and not question.strip()):
        raise HTTPException(400, "Type a question, or pick one of the shortcuts.")
    said = question.strip() if action == "ask" else SHORTCUTS.get(action, "")
    events = take_turn(
        app=app,
        user_id=user.id,
        course=course,
        ref=ref,
        event=event_for(action, question),
        instructor=user.role == "instructor",
        said=said,
    )
    if wants_stream(request):
        return StreamingResponse(ndjson(events), media_type=NDJSON)
    if action == "lesson":  # a generated lesson is shown on a page of its own
        shown = [ev async for ev in events]
        context = {"title": ref.point.title, "course": course, "ref": ref, "events": shown}
        return render(request, "tutor_reply.html", **context)
    async for _ in events:
        pass
    return RedirectResponse(f"/courses/{course.id}/learn/{ref.point.id}#tutor-h", status_code=303)


@router.post("/courses/{course_id}/learn/{point_id}/tutor/clear")
async def clear_tutor(app: AppDep, entry: LoadedDep, point_id: str, user: UserDep) -> Response:
    """Forget the learner's conversation about this point."""
    course = course_of(entry)
    ref = course.outline.point(point_id)
    if ref is None:
        raise HTTPException(404, "No such point in this course.")
    scope = point_scope(ref.point.id)
    await clear_conversation(app=app, user_id=user.id, course_id=course.id, scope=scope)
    return RedirectResponse(f"/courses/{course.id}/learn/{ref.point.id}#tutor-h", status_code=303)
