"""Accounts without a shell: an instructor exports a learner's data as JSON, or deletes
the learner and all their data (after a confirmation page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from web.context import AppContext
from web.deps import AppDep, InstructorDep, render
from web.models import User, row_id
from web.services.learnerdata import NotALearner, delete_learner, export_learner
from web.services.transaction import reading

router = APIRouter(prefix="/instructor/learners", include_in_schema=False)


def _learner_id(text: str) -> int:
    learner_id = row_id(text)  # bad or oversized ids are 404s, never 500s
    if learner_id is None:
        raise HTTPException(404, "No such learner.")
    return learner_id


@router.get("/{user_id}/export.json")
async def export(user_id: str, app: AppDep, user: InstructorDep) -> Response:
    """Every row of the learner's, as a JSON download (streamed a chunk of rows at a time)."""
    learner_id = _learner_id(user_id)
    try:
        body = await export_learner(app=app, user_id=learner_id)
    except NotALearner as exc:
        raise HTTPException(404, str(exc)) from None
    return StreamingResponse(
        body,
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="learner-{learner_id}.json"',
            "cache-control": "no-store",
        },
    )


async def _learner(app: AppContext, user_id: str) -> User:
    """The learner account the URL names; 404 for anything else (instructors included)."""
    learner_id = _learner_id(user_id)

    def work(db: Session) -> User | None:
        return db.get(User, learner_id)

    learner = await reading(app.db_engine, work)
    if learner is None or learner.role != "learner":
        raise HTTPException(404, "No such learner.")
    return learner


@router.get("/{user_id}/delete")
async def confirm_delete(
    request: Request, user_id: str, app: AppDep, user: InstructorDep
) -> Response:
    """The confirmation step: what will be deleted, and the button that does it."""
    learner = await _learner(app, user_id)
    return render(
        request, "instructor/delete_learner.html", title="Delete a learner", learner=learner
    )


@router.post("/{user_id}/delete")
async def delete(
    request: Request,
    user_id: str,
    app: AppDep,
    user: InstructorDep,
    confirm_email: Annotated[str, Form(max_length=254)],
) -> Response:
    """Delete the learner and all their data, once their email is typed to confirm."""
    learner = await _learner(app, user_id)
    if confirm_email.strip().lower() != learner.email:
        return render(
            request,
            "instructor/delete_learner.html",
            400,
            title="Delete a learner",
            learner=learner,
            error="The email does not match: nothing was deleted.",
        )
    try:
        email = await delete_learner(app=app, user_id=_learner_id(user_id))
    except NotALearner as exc:
        raise HTTPException(404, str(exc)) from None
    return render(request, "instructor/learner_deleted.html", title="Learner deleted", email=email)
