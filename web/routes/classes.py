"""Class pages: my classes, create and join, the class page (roster, assistants, courses,
deadlines, archive), the gradebook and its downloads, learners who need help. The
operations are in ``web.services.classes``; this module parses and renders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from web import classes, gradebook
from web.classauth import require_class
from web.db import SessionDep
from web.deps import AppDep, InstructorDep, StoreDep, UserDep, client_ip, render
from web.gradebook import Query as BookQuery
from web.models import row_id
from web.paging import PageNumber
from web.services import classes as ops
from web.stuck import IDLE_DAYS, MIN_FAILED

router = APIRouter(include_in_schema=False)

Email = Annotated[str, Form(max_length=254)]


def _book_query(sort: str, order: str, q: str, exercise: str, status: str, page: int) -> BookQuery:
    """The gradebook's query parameters, unknown values replaced by the defaults."""
    return BookQuery(
        sort=next((s for s in gradebook.SORTS if s == sort), "email"),
        desc=order == "desc",
        q=q.strip()[:100],
        exercise=exercise[:161],
        status=next((s for s in gradebook.STATUSES if s == status), None),
        page=page,
    )


def _back(view_id: int, note: str = "") -> RedirectResponse:
    suffix = f"?note={note}" if note else ""
    return RedirectResponse(f"/classes/{view_id}{suffix}", status_code=303)


@router.get("/classes")
def my_classes(
    request: Request, courses: StoreDep, db: SessionDep, user: UserDep, error: str = ""
) -> Response:
    views = classes.my_classes(db, user)
    return render(
        request,
        "classes/index.html",
        title="Classes",
        teaching=[v for v in views if v.staff],
        learning=[v for v in views if not v.staff],
        courses=[e.course for e in courses.all_entries().values() if e.course is not None],
        error=error[:200],
    )


@router.post("/classes")
async def create_class(
    app: AppDep,
    user: InstructorDep,
    name: Annotated[str, Form(max_length=200)],
    courses: Annotated[list[str], Form(max_length=50)],
) -> Response:
    room = await ops.create_class(app=app, owner_id=user.id, name=name, courses=courses)
    assert room.id is not None
    return _back(room.id, "created")


@router.get("/join/{code}")
def join_page(request: Request, code: str, db: SessionDep, user: UserDep) -> Response:
    """The invite link: the class's name and a Join button (joining is a POST)."""
    room = classes.by_code(db, code[:40])
    if room is None:
        raise HTTPException(404, "No class has this code. Check the link with your instructor.")
    # the class's own teachers, and learners already in it, get a way in, not a Join button
    mine = classes.access(db, room.id, user)
    return render(request, "classes/join.html", title=f"Join {room.name}", room=room, mine=mine)


@router.post("/classes/join")
async def join(
    request: Request, app: AppDep, user: UserDep, code: Annotated[str, Form(max_length=40)]
) -> Response:
    room = await ops.join_class(app=app, user_id=user.id, code=code, address=client_ip(request))
    assert room.id is not None
    return _back(room.id, "joined")


@router.get("/classes/{class_id}")
def class_page(
    request: Request,
    class_id: str,
    courses: StoreDep,
    db: SessionDep,
    user: UserDep,
    note: str = "",
) -> Response:
    view = require_class(db, class_id, user, "member")
    due = classes.deadlines(db, view.id)
    return render(
        request,
        "classes/class.html",
        title=view.room.name,
        view=view,
        note=note if note in ("created", "joined", "saved") else "",
        invite=ops.invite_url(base_url=str(request.base_url), code=view.room.join_code),
        courses=ops.loaded_class_courses(courses, view),
        all_courses=[e.course for e in courses.all_entries().values() if e.course is not None],
        deadlines=sorted(due.items(), key=lambda item: item[1]),
        assistants=classes.assistants(db, view.id) if view.staff else [],
        learners=classes.learner_count(db, view.id),
    )


@router.post("/classes/{class_id}/courses")
async def set_courses(
    app: AppDep,
    class_id: str,
    user: UserDep,
    courses: Annotated[list[str], Form(max_length=50)],
) -> Response:
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.set_courses(app=app, class_id=view.id, courses=courses)
    return _back(view.id, "saved")


@router.post("/classes/{class_id}/assistants")
async def add_assistant(app: AppDep, class_id: str, user: UserDep, email: Email) -> Response:
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.add_assistant(app=app, class_id=view.id, email=email)
    return _back(view.id, "saved")


@router.post("/classes/{class_id}/members/{member_id}/remove")
async def remove_member(app: AppDep, class_id: str, member_id: str, user: UserDep) -> Response:
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    uid = row_id(member_id)
    if uid is None or not await ops.remove_member(app=app, class_id=view.id, user_id=uid):
        raise HTTPException(404, "No such member of this class.")
    return RedirectResponse(f"/classes/{view.id}/gradebook", status_code=303)


@router.post("/classes/{class_id}/archive")
async def archive(
    app: AppDep,
    class_id: str,
    user: UserDep,
    archived: Annotated[str, Form(max_length=5)] = "1",
) -> Response:
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    await ops.archive_class(app=app, class_id=view.id, archived=archived == "1")
    return _back(view.id, "saved")


def _parse_due(text: str) -> datetime | None:
    """A ``datetime-local`` value (UTC) or an ISO time; empty clears the deadline."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, "Give the deadline as YYYY-MM-DD HH:MM (UTC).") from None


@router.post("/classes/{class_id}/deadlines")
async def set_deadline(
    app: AppDep,
    class_id: str,
    user: UserDep,
    exercise: Annotated[str, Form(max_length=161)],
    due: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    view = await ops.owned_class(app=app, class_id=class_id, viewer=user)
    course_id, _, exercise_id = exercise.partition("/")
    await ops.set_deadline(
        app=app,
        class_id=view.id,
        course_id=course_id,
        exercise_id=exercise_id,
        due_at=_parse_due(due),
    )
    return _back(view.id, "saved")


@router.get("/classes/{class_id}/gradebook")
def gradebook_page(
    request: Request,
    class_id: str,
    courses: StoreDep,
    db: SessionDep,
    user: UserDep,
    sort: Annotated[str, Query(max_length=20)] = "email",
    order: Annotated[str, Query(max_length=4)] = "asc",
    q: Annotated[str, Query(max_length=100)] = "",
    exercise: Annotated[str, Query(max_length=161)] = "",
    status: Annotated[str, Query(max_length=10)] = "",
    page: PageNumber = 1,
) -> Response:
    view = require_class(db, class_id, user, "staff")
    query = _book_query(sort, order, q, exercise, status, page)
    columns = ops.gradebook_columns(db, store=courses, view=view)
    book = gradebook.gradebook(db, class_id=view.id, columns=columns, query=query)
    return render(
        request,
        "classes/gradebook.html",
        title=f"Gradebook: {view.room.name}",
        view=view,
        book=book,
    )


@router.get("/classes/{class_id}/gradebook.csv")
def gradebook_csv_page(
    class_id: str, app: AppDep, courses: StoreDep, db: SessionDep, user: UserDep
) -> Response:
    view = require_class(db, class_id, user, "staff")
    return ops.gradebook_download(app, db, store=courses, view=view, fmt="csv").response()


@router.get("/classes/{class_id}/gradebook.json")
def gradebook_json_page(
    class_id: str, app: AppDep, courses: StoreDep, db: SessionDep, user: UserDep
) -> Response:
    view = require_class(db, class_id, user, "staff")
    return ops.gradebook_download(app, db, store=courses, view=view, fmt="json").response()


@router.get("/classes/{class_id}/help")
def help_page(
    request: Request,
    class_id: str,
    courses: StoreDep,
    db: SessionDep,
    user: UserDep,
    failed: Annotated[int, Query(ge=1, le=1000)] = MIN_FAILED,
    days: Annotated[int, Query(ge=1, le=3650)] = IDLE_DAYS,
    stuck_page: PageNumber = 1,
    idle_page: PageNumber = 1,
) -> Response:
    """Learners who need help: stuck on an exercise, or idle for ``days`` days (a page of
    each: ``?stuck_page=``, ``?idle_page=``)."""
    view = require_class(db, class_id, user, "staff")
    query = ops.HelpQuery(failed, days, stuck_page, idle_page)
    stuck, idle = ops.needs_help(db, store=courses, view=view, query=query)
    return render(
        request,
        "classes/help.html",
        title=f"Who needs help: {view.room.name}",
        view=view,
        failed=failed,
        days=days,
        stuck=stuck,
        idle=idle,
        keep={
            "failed": str(failed),
            "days": str(days),
            "stuck_page": str(stuck_page),
            "idle_page": str(idle_page),
        },
    )


@router.get("/classes/{class_id}/learners/{learner_id}")
def learner_in_class(
    request: Request,
    class_id: str,
    learner_id: str,
    db: SessionDep,
    user: UserDep,
    exercise: Annotated[str, Query(max_length=161)] = "",
    page: PageNumber = 1,
) -> Response:
    """A class learner's attempts at the class's courses (or one exercise), newest first."""
    view = require_class(db, class_id, user, "staff")
    found = ops.learner_attempts(db, view=view, learner_id=learner_id, exercise=exercise, page=page)
    if found is None:
        raise HTTPException(404, "No such learner in this class.")
    return render(
        request,
        "classes/learner.html",
        title=f"{found.learner.email} in {view.room.name}",
        view=view,
        learner=found.learner,
        exercise=found.exercise,
        attempts=found.attempts,
        page=page,
        more=found.more,
    )
