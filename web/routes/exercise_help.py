"""Help on a code exercise page: the learner's code graded, then the next hint, streamed
as NDJSON to scripts; without JavaScript the reply is kept in the exercise's conversation
and the browser is sent back to the exercise (POST-redirect-GET)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from web.deps import AppDep, LoadedDep, UserDep, check_deadline, course_of, exercise_ref
from web.services.chat import clear_conversation, exercise_scope
from web.services.help import admit_help, help_events
from web.streaming import NDJSON, ndjson, wants_stream

router = APIRouter(include_in_schema=False)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@router.post("/courses/{course_id}/exercises/{exercise_id}/help")
async def exercise_help(
    request: Request, app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep
) -> Response:
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    form = await request.form()
    source, question = _text(form.get("source")), _text(form.get("question"))
    exercise, source, place = await admit_help(
        app=app, user_id=user.id, course=course, ref=ref, source=source, question=question
    )
    events = help_events(
        app=app,
        user_id=user.id,
        course=course,
        exercise=exercise,
        source=source,
        question=question,
        place=place,
        deadline=check_deadline(request),  # graded within TUTOR_CHECK_DEADLINE_S, as a check
    )
    if wants_stream(request):
        return StreamingResponse(ndjson(events), media_type=NDJSON)
    async for _ in events:
        pass
    return RedirectResponse(f"/courses/{course.id}/exercises/{exercise.id}#help-h", status_code=303)


@router.post("/courses/{course_id}/exercises/{exercise_id}/help/clear")
async def clear_help(app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep) -> Response:
    """Forget the learner's Help conversation for this exercise (the hint level stays)."""
    course = course_of(entry)
    ref = exercise_ref(entry, exercise_id)
    scope = exercise_scope(ref.exercise.id)
    await clear_conversation(app=app, user_id=user.id, course_id=course.id, scope=scope)
    return RedirectResponse(
        f"/courses/{course.id}/exercises/{ref.exercise.id}#help-h", status_code=303
    )
