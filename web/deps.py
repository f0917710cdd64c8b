"""Request dependencies: the application context, the current user, role checks, CSRF,
and the page renderer.

``AppDep`` is the one way a route reaches the app's parts (database engine, courses,
tutor, grader, templates, settings). Database reads here run in a worker thread, never
on the event loop: a slow or saturated database delays only the requests that need it.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from curriculum import Course
from curriculum.outline import ExerciseRef
from web.classes import course_visible, may_see_course
from web.context import AppContext, context_of
from web.courses import CourseStore, LoadedCourse
from web.quickread import quick_read
from web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    SessionPlace,
    Viewer,
    csrf_ok,
    session_user,
    session_user_and_position,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


async def app_context(request: Request) -> AppContext:
    return context_of(request.app)


AppDep = Annotated[AppContext, Depends(app_context)]


class LoginRequired(Exception):
    """Raised for anonymous requests to pages that need an account."""


def csrf_token(request: Request) -> str:
    return str(request.scope.get("state", {}).get("csrf_token", ""))


async def csrf_protect(request: Request) -> None:
    """Every state-changing request carries the CSRF token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_ok(context_of(request.app).secret, cookie, submitted):
        raise HTTPException(403, "Missing or invalid CSRF token: reload the page and try again.")


async def current_user(request: Request) -> Viewer | None:
    """The logged-in user: one indexed read with a connection of its own.

    The read runs in a worker thread, and its connection is taken and given back
    there, so no request holds a connection while it waits for a thread (that could
    deadlock the pool) and a saturated database never stalls the event loop.
    """
    if hasattr(request.state, "user"):
        cached: Viewer | None = request.state.user
        return cached
    db_engine = context_of(request.app).db_engine
    token = request.cookies.get(SESSION_COOKIE)
    user = await quick_read(db_engine, lambda: session_user(db_engine, token))
    request.state.user = user
    return user


MaybeUser = Annotated[Viewer | None, Depends(current_user)]


async def user_and_position(request: Request, course_id: str, scope: str = "") -> SessionPlace:
    """The logged-in user, their resume position in a course and their conversation with
    the tutor in ``scope``, in one indexed read.

    For hot pages that need them (the lesson page): it replaces :func:`current_user`
    plus more queries, and leaves the user in ``request.state`` for the templates.
    Run in a worker thread, like every database read. A class-only course the user may
    not see is a 404 (decided from the same query).
    """
    db_engine = context_of(request.app).db_engine
    token = request.cookies.get(SESSION_COOKIE)

    place, access = await quick_read(
        db_engine, lambda: session_user_and_position(db_engine, token, course_id, scope)
    )
    request.state.user = place.user
    role = place.user.role if place.user is not None else None
    if not course_visible(class_only=access.class_only, role=role, member=access.member):
        raise HTTPException(404, "No such course.")
    return place


def check_deadline(request: Request) -> float:
    """When a check request must have its verdict (a ``time.monotonic()`` time):
    ``TUTOR_CHECK_DEADLINE_S`` after it arrived (stamped by ``web.observe``), so the wait
    for threads, the body and the database before grading counts too."""
    arrived = request.scope.get("state", {}).get("arrived", time.monotonic())
    return float(arrived) + context_of(request.app).settings.check_deadline_s


async def require_user(user: MaybeUser) -> Viewer:
    if user is None:
        raise LoginRequired
    return user


UserDep = Annotated[Viewer, Depends(require_user)]


async def require_instructor(user: UserDep) -> Viewer:
    if user.role != "instructor":
        raise HTTPException(403, "This page is for instructors.")
    return user


InstructorDep = Annotated[Viewer, Depends(require_instructor)]


async def store(app: AppDep) -> CourseStore:
    app.courses.refresh()
    return app.courses


StoreDep = Annotated[CourseStore, Depends(store)]


def find_course(request: Request, course_id: str) -> LoadedCourse:
    """A course with a valid version, reloaded first if its files changed; else 404."""
    courses = context_of(request.app).courses
    courses.refresh()
    entry = courses.get(course_id)
    if entry is None:
        raise HTTPException(404, "No such course.")
    return entry


async def loaded_course(
    app: AppDep, course_id: str, courses: StoreDep, user: MaybeUser
) -> LoadedCourse:
    """A course with a valid version that the viewer may see (class-only courses: see
    ``web.classes.may_see_course``), else 404."""
    entry = courses.get(course_id)
    if entry is None:
        raise HTTPException(404, "No such course.")

    def visible() -> bool:
        with Session(app.db_engine) as db:
            return may_see_course(db, course_id, user)

    if not await quick_read(app.db_engine, visible):
        raise HTTPException(404, "No such course.")
    return entry


LoadedDep = Annotated[LoadedCourse, Depends(loaded_course)]


def course_of(entry: LoadedCourse) -> Course:
    assert entry.course is not None
    return entry.course


def exercise_ref(entry: LoadedCourse, exercise_id: str) -> ExerciseRef:
    """The exercise with this id in the course, or a 404."""
    ref = course_of(entry).outline.exercise(exercise_id)
    if ref is None:
        raise HTTPException(404, "No such exercise in this course.")
    return ref


def render(
    request: Request, template: str, status_code: int = 200, /, **context: Any
) -> HTMLResponse:
    templates = context_of(request.app).templates
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf_token"] = csrf_token(request)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def client_ip(request: Request) -> str:
    """The client's address (the proxy's client with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"
