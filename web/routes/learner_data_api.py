"""The JSON API of a learner's data for instructors: export it, or delete the learner."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response
from fastapi.responses import StreamingResponse

from web.deps import AppDep, InstructorDep
from web.models import row_id
from web.services.learnerdata import NotALearner, delete_learner, export_learner

router = APIRouter(prefix="/api/instructor/learners", tags=["instructor"])


def _learner_id(text: str) -> int:
    learner_id = row_id(text)
    if learner_id is None:
        raise HTTPException(404, "No such learner.")
    return learner_id


@router.get(
    "/{user_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def export(user_id: str, app: AppDep, user: InstructorDep) -> Response:
    """Instructors only: the learner's account and every row of their data, per table
    (progress, attempts with code and quiz answers, drafts, tutor conversations and
    calls, ...), streamed a chunk of rows at a time. 404 for an unknown id or an account
    that is not a learner's."""
    try:
        body = await export_learner(app=app, user_id=_learner_id(user_id))
    except NotALearner as exc:
        raise HTTPException(404, str(exc)) from None
    return StreamingResponse(
        body, media_type="application/json", headers={"cache-control": "no-store"}
    )


@router.delete("/{user_id}", status_code=204)
async def delete(user_id: str, app: AppDep, user: InstructorDep) -> Response:
    """Instructors only: delete the learner and all their data, in one transaction."""
    try:
        await delete_learner(app=app, user_id=_learner_id(user_id))
    except NotALearner as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(status_code=204)
