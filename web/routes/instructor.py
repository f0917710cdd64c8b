"""Instructor pages: class dashboard, learner attempts, CSV export (the course editor is
in ``web.routes.course_tools``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlmodel import Session

from web.classdata import (
    LearnerKey,
    exercise_stats,
    learner_page,
    learner_rows,
    progress_csv_chunk,
    usage_by_learner,
)
from web.classes import class_only_courses
from web.courses import LoadedCourse
from web.db import SessionDep
from web.deps import AppDep, InstructorDep, StoreDep, render
from web.models import row_id
from web.paging import Cursor, PageNumber
from web.services import classes as classes_ops
from web.services.conversations import (
    MAX_NOTE_CHARS,
    flag_reply,
    flagged_replies,
    unflag_reply,
)
from web.services.learnerview import CallsAt, learner_view
from web.services.transaction import read_in_chunks

router = APIRouter(prefix="/instructor", include_in_schema=False)


def _entry(courses: StoreDep, course_id: str) -> LoadedCourse:
    entry = courses.entry(course_id)
    if entry is None:
        raise HTTPException(404, "No such course.")
    return entry


@router.get("")
def dashboard(
    request: Request, courses: StoreDep, db: SessionDep, user: InstructorDep, page: PageNumber = 1
) -> Response:
    """The courses, and model usage per learner a page at a time (``?page=``)."""
    return render(
        request,
        "instructor/dashboard.html",
        title="Instructor",
        entries=courses.all_entries(),
        usage=usage_by_learner(db, page),
    )


@router.get("/courses/{course_id}")
def course_dashboard(
    request: Request,
    course_id: str,
    courses: StoreDep,
    db: SessionDep,
    user: InstructorDep,
    page: PageNumber = 1,
) -> Response:
    """The class table, a page of learners at a time, and the exercise statistics."""
    entry = _entry(courses, course_id)
    course = entry.course
    pager = learner_page(db, course, page) if course else None
    return render(
        request,
        "instructor/course.html",
        title=f"Class: {course.title if course else course_id}",
        entry=entry,
        course=course,
        course_id=course_id,
        page=pager,
        rows=learner_rows(db, course, pager) if course else [],
        stats=exercise_stats(db, course) if course else [],
        class_only=course_id in class_only_courses(db),
    )


@router.post("/courses/{course_id}/visibility")
async def set_visibility(
    app: AppDep,
    course_id: str,
    courses: StoreDep,
    user: InstructorDep,
    visibility: Annotated[str, Form(max_length=10)],
) -> Response:
    """Public (everyone) or class-only (members of a class it is assigned to)."""
    _entry(courses, course_id)
    await classes_ops.set_visibility(app=app, course_id=course_id, class_only=visibility == "class")
    return RedirectResponse(f"/instructor/courses/{course_id}", status_code=303)


@router.get("/courses/{course_id}/export.csv")
async def export_csv(
    course_id: str, app: AppDep, courses: StoreDep, user: InstructorDep
) -> Response:
    """Every learner's progress as CSV, streamed a chunk of learners at a time."""
    course = _entry(courses, course_id).course
    if course is None:
        raise HTTPException(404, "This course has no valid version to export.")

    def chunk(db: Session, after: LearnerKey | None) -> tuple[str, LearnerKey | None]:
        return progress_csv_chunk(db, course, after)

    return StreamingResponse(
        read_in_chunks(app.db_engine, chunk),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="{course_id}-progress.csv"'},
    )


@router.get("/learners/{user_id}")
async def learner_attempts(
    request: Request,
    user_id: str,
    app: AppDep,
    user: InstructorDep,
    page: PageNumber = 1,
    calls_before: Cursor = None,
    calls_after: Cursor = None,
) -> Response:
    """A learner's attempts, newest first, ``ATTEMPTS_PAGE`` at a time (``?page=``), and
    their conversations with the tutor, a page of calls at a time (``?calls_before=`` /
    ``?calls_after=`` a call id; each reply can be flagged)."""
    learner_id = row_id(user_id)  # bad or oversized ids are 404s, never 500s
    at = CallsAt(before=calls_before, after=calls_after)
    view = None
    if learner_id is not None:
        view = await learner_view(app=app, user_id=learner_id, page=page, calls=at)
    if view is None:
        raise HTTPException(404, "No such learner.")
    return render(
        request,
        "instructor/learner.html",
        title=f"Learner: {view.learner.email}",
        learner=view.learner,
        attempts=view.attempts,
        page=page,
        more=view.more,
        conversations=view.conversations,
        calls_query={
            "calls_before": str(calls_before or ""),
            "calls_after": str(calls_after or ""),
        },
        newer_calls=view.newer_calls,
        older_calls=view.older_calls,
        progress=view.progress,
    )


def _call_id(text: str) -> int:
    call_id = row_id(text)
    if call_id is None:
        raise HTTPException(404, "No such tutor reply.")
    return call_id


@router.post("/tutor-calls/{call_id}/flag")
async def flag(
    call_id: str,
    app: AppDep,
    user: InstructorDep,
    note: Annotated[str, Form(max_length=MAX_NOTE_CHARS)] = "",
) -> Response:
    """Flag a tutor reply (with an optional note), then back to the learner's page."""
    done = await flag_reply(app=app, call_id=_call_id(call_id), instructor_id=user.id, note=note)
    if done is None:
        raise HTTPException(404, "No such tutor reply.")
    target = f"/instructor/learners/{done.call.user_id}#call-{done.call.id}"
    return RedirectResponse(target, status_code=303)


@router.post("/tutor-calls/{call_id}/unflag")
async def unflag(call_id: str, app: AppDep, user: InstructorDep) -> Response:
    call = await unflag_reply(app=app, call_id=_call_id(call_id))
    if call is None:
        raise HTTPException(404, "No such tutor reply.")
    return RedirectResponse(f"/instructor/learners/{call.user_id}#call-{call.id}", 303)


@router.get("/flags")
async def flags(
    request: Request,
    app: AppDep,
    user: InstructorDep,
    before: Cursor = None,
    after: Cursor = None,
) -> Response:
    """The flagged tutor replies, newest first, a page at a time (``?before=`` /
    ``?after=`` a flag id)."""
    return render(
        request,
        "instructor/flags.html",
        title="Flagged tutor replies",
        flagged=await flagged_replies(app=app, before=before, after=after),
    )
