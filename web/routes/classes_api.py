"""The classes part of the JSON API (``/api/classes``, in ``/docs``): the same operations
and the same authorization as the class pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from web import classes
from web.classauth import require_class
from web.db import SessionDep
from web.deps import AppDep, InstructorDep, StoreDep, UserDep, client_ip
from web.models import row_id
from web.paging import PageNumber
from web.services import classes as ops
from web.stuck import IDLE_DAYS, MIN_FAILED

router = APIRouter(prefix="/api", tags=["classes"])

CourseId = Annotated[str, Field(max_length=80)]


class ClassIn(BaseModel):
    name: Annotated[str, Field(max_length=200)]
    courses: Annotated[list[CourseId], Field(min_length=1, max_length=classes.MAX_COURSES)]


class ClassCreated(BaseModel):
    id: int
    name: str
    join_code: str
    invite_url: str


class JoinIn(BaseModel):
    code: Annotated[str, Field(max_length=40)]


class ClassOut(BaseModel):
    id: int
    name: str
    role: Literal["owner", "assistant", "learner"]
    courses: list[str]
    archived: bool
    join_code: str | None = None  # staff only
    invite_url: str | None = None  # staff only


class AssistantIn(BaseModel):
    email: Annotated[str, Field(max_length=254)]


class ArchiveIn(BaseModel):
    archived: bool = True


class DeadlineIn(BaseModel):
    course_id: CourseId
    exercise_id: CourseId
    due_at: datetime | None = None  # None clears it; a time without a zone is UTC


class VisibilityIn(BaseModel):
    visibility: Literal["public", "class"]


class StuckOut(BaseModel):
    user_id: int
    email: str
    course_id: str
    exercise_id: str
    failed_attempts: int
    last_attempt: datetime
    hints: int  # the exercise's hints; one is shown per failed attempt
    hints_exhausted: bool


class IdleOut(BaseModel):
    user_id: int
    email: str
    last_activity: datetime | None
    joined: datetime


class HelpOut(BaseModel):
    stuck: list[StuckOut]
    idle: list[IdleOut]
    next_stuck_page: int | None  # ``?stuck_page=`` of the next page of ``stuck``; None: last
    next_idle_page: int | None  # ``?idle_page=`` of the next page of ``idle``; None: last


def _invite_url(request: Request, code: str) -> str:
    return ops.invite_url(base_url=str(request.base_url), code=code)


def _out(request: Request, view: classes.ClassView) -> ClassOut:
    code = view.room.join_code if view.staff else None
    return ClassOut(
        id=view.id,
        name=view.room.name,
        role=view.access,
        courses=view.courses,
        archived=view.archived,
        join_code=code,
        invite_url=_invite_url(request, code) if code else None,
    )


@router.post("/classes", status_code=201)
async def create_class(
    request: Request, app: AppDep, user: InstructorDep, body: Annotated[ClassIn, Body()]
) -> ClassCreated:
    """Instructors: a new class with these courses; its join code and invite link."""
    room = await ops.create_class(app=app, owner_id=user.id, name=body.name, courses=body.courses)
    assert room.id is not None
    return ClassCreated(
        id=room.id,
        name=room.name,
        join_code=room.join_code,
        invite_url=_invite_url(request, room.join_code),
    )


@router.get("/classes")
def list_classes(request: Request, db: SessionDep, user: UserDep) -> list[ClassOut]:
    """The classes you teach, assist or learn in."""
    return [_out(request, v) for v in classes.my_classes(db, user)]


@router.post("/classes/join")
async def join_class(
    request: Request, app: AppDep, user: UserDep, body: Annotated[JoinIn, Body()]
) -> ClassOut:
    """Join a class by its code (idempotent). Wrong codes are limited per account and per
    client address (`TUTOR_JOIN_FAILURES_PER_HOUR`, `TUTOR_JOIN_FAILURES_PER_ADDRESS_PER_HOUR`):
    beyond them, 429 with `Retry-After`."""
    room = await ops.join_class(
        app=app, user_id=user.id, code=body.code, address=client_ip(request)
    )
    assert room.id is not None
    return ClassOut(
        id=room.id,
        name=room.name,
        role="learner",
        courses=[],
        archived=room.archived_at is not None,
    )


@router.get("/classes/{class_id}")
def get_class(request: Request, class_id: str, db: SessionDep, user: UserDep) -> ClassOut:
    return _out(request, require_class(db, class_id, user, "member"))


@router.get(
    "/classes/{class_id}/gradebook.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
def gradebook_csv(
    class_id: str, app: AppDep, courses: StoreDep, db: SessionDep, user: UserDep
) -> Response:
    """The class's instructor and assistants: one line per learner, five columns per
    exercise (status, best %, attempts, last attempt, late)."""
    view = require_class(db, class_id, user, "staff")
    return ops.gradebook_download(app, db, store=courses, view=view, fmt="csv").response()


@router.get(
    "/classes/{class_id}/gradebook.json",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
def gradebook_json(
    class_id: str, app: AppDep, courses: StoreDep, db: SessionDep, user: UserDep
) -> Response:
    """The class's instructor and assistants: the gradebook, every learner."""
    view = require_class(db, class_id, user, "staff")
    return ops.gradebook_download(app, db, store=courses, view=view, fmt="json").response()


@router.get("/classes/{class_id}/help")
def who_needs_help(
    class_id: str,
    courses: StoreDep,
    db: SessionDep,
    user: UserDep,
    failed: Annotated[int, Query(ge=1, le=1000)] = MIN_FAILED,
    days: Annotated[int, Query(ge=1, le=3650)] = IDLE_DAYS,
    stuck_page: PageNumber = 1,
    idle_page: PageNumber = 1,
) -> HelpOut:
    """Learners with ``failed`` failed attempts and no pass at one exercise, and learners
    with nothing done for ``days`` days: 50 of each a page (``?stuck_page=``,
    ``?idle_page=``; ``next_stuck_page`` and ``next_idle_page`` give the next, null on
    the last)."""
    view = require_class(db, class_id, user, "staff")
    query = ops.HelpQuery(failed, days, stuck_page, idle_page)
    stuck, idle = ops.needs_help(db, store=courses, view=view, query=query)
    return HelpOut(
        stuck=[
            StuckOut(
                user_id=s.user_id,
                email=s.email,
                course_id=s.column.course_id,
                exercise_id=s.column.exercise_id,
                failed_attempts=s.failed,
                last_attempt=s.last,
                hints=s.hints,
                hints_exhausted=s.hints_exhausted,
            )
            for s in stuck.items
        ],
        idle=[
            IdleOut(user_id=i.user_id, email=i.email, last_activity=i.last, joined=i.joined)
            for i in idle.items
        ],
        next_stuck_page=stuck.next,
        next_idle_page=idle.next,
    )


@router.post("/classes/{class_id}/assistants", status_code=204)
async def add_assistant(
    app: AppDep, class_id: str, user: UserDep, body: Annotated[AssistantIn, Body()]
) -> None:
    """The class's instructor: make an existing account an assistant of the class."""
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.add_assistant(app=app, class_id=view.id, email=body.email)


@router.delete("/classes/{class_id}/members/{user_id}", status_code=204)
async def remove_member(app: AppDep, class_id: str, user_id: str, user: UserDep) -> None:
    """The class's instructor: take a learner or assistant out of the class."""
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    uid = row_id(user_id)
    if uid is None or not await ops.remove_member(app=app, class_id=view.id, user_id=uid):
        raise HTTPException(404, "No such member of this class.")


@router.post("/classes/{class_id}/archive", status_code=204)
async def archive_class(
    app: AppDep, class_id: str, user: UserDep, body: Annotated[ArchiveIn, Body()]
) -> None:
    """The class's instructor: archive (no new learners) or restore the class."""
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.archive_class(app=app, class_id=view.id, archived=body.archived)


@router.put("/classes/{class_id}/deadlines", status_code=204)
async def set_deadline(
    app: AppDep, class_id: str, user: UserDep, body: Annotated[DeadlineIn, Body()]
) -> None:
    """The class's instructor: set or clear the deadline of one exercise."""
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.set_deadline(
        app=app,
        class_id=view.id,
        course_id=body.course_id,
        exercise_id=body.exercise_id,
        due_at=body.due_at,
    )


@router.put("/courses/{course_id}/visibility", status_code=204)
async def set_visibility(
    app: AppDep, course_id: str, user: InstructorDep, body: Annotated[VisibilityIn, Body()]
) -> None:
    """Instructors: make a course public (everyone) or class-only (members of a class it
    is assigned to, and instructors)."""
    if app.courses.get(course_id) is None:
        raise HTTPException(404, "No such course.")
    await ops.set_visibility(app=app, course_id=course_id, class_only=body.visibility == "class")
