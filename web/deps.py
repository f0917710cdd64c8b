"""Request dependencies: the current user, role checks, CSRF, and the page renderer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from curriculum import Course
from curriculum.outline import ExerciseRef
from web.courses import CourseStore, LoadedCourse
from web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Viewer,
    csrf_ok,
    session_user,
    session_user_and_position,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


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
    if not csrf_ok(request.app.state.secret, cookie, submitted):
        raise HTTPException(403, "Missing or invalid CSRF token: reload the page and try again.")


async def current_user(request: Request) -> Viewer | None:
    """The logged-in user, read with a short session of its own.

    One indexed read, run on the event loop (a thread hop costs more than the query).
    The connection goes back to the pool at once, so no request ever holds a
    connection while it waits for a worker thread (that could deadlock the pool).
    """
    if hasattr(request.state, "user"):
        cached: Viewer | None = request.state.user
        return cached
    with request.app.state.engine.connect() as conn:
        user = session_user(conn, request.cookies.get(SESSION_COOKIE))
    request.state.user = user
    return user


MaybeUser = Annotated[Viewer | None, Depends(current_user)]


def user_and_position(request: Request, course_id: str) -> tuple[Viewer | None, str | None]:
    """The logged-in user and their resume position in a course, in one indexed read.

    For hot pages that need both (the lesson page): it replaces :func:`current_user`
    plus a second query, and leaves the user in ``request.state`` for the templates.
    """
    with request.app.state.engine.connect() as conn:
        user, where = session_user_and_position(
            conn, request.cookies.get(SESSION_COOKIE), course_id
        )
    request.state.user = user
    return user, where


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


async def store(request: Request) -> CourseStore:
    courses: CourseStore = request.app.state.courses
    courses.refresh()
    return courses


StoreDep = Annotated[CourseStore, Depends(store)]


def find_course(request: Request, course_id: str) -> LoadedCourse:
    """A course with a valid version, reloaded first if its files changed; else 404."""
    courses: CourseStore = request.app.state.courses
    courses.refresh()
    entry = courses.get(course_id)
    if entry is None:
        raise HTTPException(404, "No such course.")
    return entry


async def loaded_course(course_id: str, courses: StoreDep) -> LoadedCourse:
    entry = courses.get(course_id)
    if entry is None:
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
    templates: Jinja2Templates = request.app.state.templates
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf_token"] = csrf_token(request)
    return templates.TemplateResponse(request, template, context, status_code=status_code)
