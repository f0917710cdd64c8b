"""One-time password reset links: an instructor makes one for a learner (page and API);
the learner opens it and sets a new password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from web.deps import AppDep, InstructorDep, render
from web.models import row_id
from web.services import passwordreset as ops
from web.services.refusals import BadInput

router = APIRouter()


class ResetLinkOut(BaseModel):
    url: str
    expires_at: datetime


def _link(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/reset/{token}"


async def _issue(request: Request, app: AppDep, user_id: str, by: int) -> ResetLinkOut:
    learner_id = row_id(user_id)
    if learner_id is None:
        raise HTTPException(404, "No such learner.")
    token, expires = await ops.issue_link(app=app, learner_id=learner_id, by=by)
    return ResetLinkOut(url=_link(request, token), expires_at=expires)


@router.post("/instructor/learners/{user_id}/reset-link", include_in_schema=False)
async def reset_link_page(
    request: Request, app: AppDep, user_id: str, user: InstructorDep
) -> Response:
    """A new one-time link, shown once, for the instructor to hand to the learner."""
    link = await _issue(request, app, user_id, user.id)
    return render(request, "reset_link.html", title="Password reset link", link=link)


@router.post("/api/instructor/learners/{user_id}/reset-link", status_code=201, tags=["api"])
async def reset_link_api(
    request: Request, app: AppDep, user_id: str, user: InstructorDep
) -> ResetLinkOut:
    """Instructors: a one-time password reset link for a learner (valid 24 hours; using it
    ends the learner's sessions). Only learners' passwords can be reset this way."""
    return await _issue(request, app, user_id, user.id)


@router.get("/reset/{token}", include_in_schema=False)
async def reset_page(request: Request, app: AppDep, token: str) -> Response:
    email = await ops.link_email(app=app, token=token)
    if email is None:
        raise HTTPException(400, "This link was used already or has expired: ask for a new one.")
    return render(request, "reset.html", title="Choose a new password", email=email, token=token)


@router.post("/reset/{token}", include_in_schema=False)
async def reset(
    request: Request,
    app: AppDep,
    token: str,
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    try:
        user = await ops.reset_password(app=app, token=token, password=password)
    except BadInput as exc:
        email = await ops.link_email(app=app, token=token)
        if email is None:
            raise
        context = {"email": email, "token": token, "error": exc.message}
        return render(request, "reset.html", 400, title="Choose a new password", **context)
    return render(request, "reset.html", title="Password changed", email=user.email, done=True)
