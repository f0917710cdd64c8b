"""Learner pages: catalogue, course page, lessons with next/previous and the continue prompt."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.routing import Match, Route
from starlette.types import Scope

from curriculum import Course
from curriculum.outline import PointRef
from tutor import flow
from web.attempts import attempts_for
from web.classes import hidden_courses
from web.context import AppContext, context_of
from web.courses import LoadedCourse
from web.db import SessionDep
from web.deps import (
    AppDep,
    LoadedDep,
    MaybeUser,
    StoreDep,
    UserDep,
    course_of,
    find_course,
    render,
    user_and_position,
)
from web.pagecache import CONVERSATION_MARK, shared_page
from web.path import path_context
from web.progress import Done, events, section_bars
from web.render import cached_lesson
from web.security import Viewer
from web.services.catalogue import course_card, course_cards, current_section
from web.services.chat import parse_messages, point_scope
from web.services.progress import record_point, visit_point
from web.services.transaction import reading
from web.tutor_view import conversation_html
from web.tutoring import load_state, offline_prompt

router = APIRouter(include_in_schema=False)


@router.get("/")
def catalogue(
    request: Request,
    app: AppDep,
    courses: StoreDep,
    db: SessionDep,
    user: MaybeUser,
    welcome: str = "",
) -> Response:
    hidden = hidden_courses(db, user)
    items = [
        e for cid in courses.ids() if cid not in hidden and (e := courses.get(cid)) is not None
    ]
    cards = course_cards(
        db,
        user_id=user.id if user is not None else None,
        courses=[course_of(e) for e in items],
        generates=app.tutor.backend.generates,
    )
    return render(
        request,
        "catalogue.html",
        title="Courses",
        cards=cards,
        started=[c for c in cards if c.started and not c.completed],
        welcome=welcome == "instructor",
    )


def _done(db: SessionDep, user: Viewer | None, course_id: str) -> Done:
    if user is None:
        return Done(frozenset(), frozenset(), frozenset(), None)
    return Done.of(events(db, user.id, course_id))


@router.get("/courses/{course_id}")
def course_page(
    request: Request, app: AppDep, entry: LoadedDep, db: SessionDep, user: MaybeUser
) -> Response:
    course = course_of(entry)
    outline = course.outline
    done = _done(db, user, course.id)
    resume = outline.resume_step(done.finished) if user is not None and done.finished else None
    bars = section_bars(course, done)
    card = course_card(
        db,
        user_id=user.id if user is not None else None,
        course=course,
        generates=app.tutor.backend.generates,
    )
    return render(
        request,
        "course.html",
        title=course.title,
        course=course,
        outline=outline,
        bars=bars,
        done=done,
        resume=resume,
        card=card,
        current=current_section(bars, resume),
    )


@router.get("/courses/{course_id}/resume")
def resume(entry: LoadedDep, db: SessionDep, user: UserDep) -> Response:
    """The first unfinished step after the furthest one the learner finished."""
    course = course_of(entry)
    if not course.outline.steps:
        raise HTTPException(404, "This course has nothing to learn yet.")
    step = course.outline.resume_step(_done(db, user, course.id).finished)
    if step is None:  # everything is done
        return RedirectResponse(f"/courses/{course.id}/progress", status_code=303)
    return RedirectResponse(f"/courses/{course.id}/{step.path}", status_code=303)


def _point(entry: LoadedCourse, point_id: str) -> PointRef:
    ref = course_of(entry).outline.point(point_id)
    if ref is None:
        raise HTTPException(404, "No such point in this course.")
    return ref


async def _offline_prompt(
    app: AppContext, course: Course, user: Viewer | None, ref: PointRef
) -> str:
    if user is None:
        state = flow.new_state(course)
    else:
        state = await reading(
            app.db_engine, lambda db: load_state(db, user_id=user.id, course=course)
        )
    return await to_thread.run_sync(offline_prompt, app.tutor, course, state, ref)


async def lesson_page(request: Request) -> Response:
    """The hottest page: one database read, and no FastAPI machinery.

    A plain Starlette endpoint (see below): its path parameters are strings, and a GET
    changes nothing, so it needs neither FastAPI's parameter validation nor the CSRF
    check that every state-changing route has. The session check and the learner's
    position come from one query; the lesson HTML is cached per course version. Only a
    move to another point writes (in a thread).
    """
    course_id: str = request.path_params["course_id"]
    point_id: str = request.path_params["point_id"]
    app = context_of(request.app)
    entry = find_course(request, course_id)
    course = course_of(entry)
    ref = _point(entry, point_id)
    lesson_html = (
        cached_lesson(course.id, entry.version, ref.point.id, ref.lesson)
        if ref.lesson is not None
        else None
    )
    generates = app.tutor.backend.generates
    # The hot path: one indexed read (in a worker thread): the session, the position and
    # the learner's conversation about this point. Only a move to another point writes.
    user, where, talk_json = await user_and_position(request, course.id, point_scope(ref.point.id))
    if user is not None and where != ref.point.id:
        await visit_point(app=app, user_id=user.id, course_id=course.id, point_id=ref.point.id)
    talk = conversation_html(app.templates, parse_messages(talk_json))
    if lesson_html is None:
        prompt = ""
        if not generates and user is not None and user.role == "instructor":
            prompt = await _offline_prompt(app, course, user, ref)
        context = _lesson_context(course, ref, lesson_html, generates, prompt)
        return render(request, "lesson.html", **context, conversation_html=talk)
    # An authored lesson's page is the same for every viewer of a role: rendered once,
    # with a marker where the viewer's conversation with the tutor goes.
    key = ("lesson", course.id, entry.version, ref.point.id, generates)
    return shared_page(
        request,
        key,
        "lesson.html",
        user,
        lambda: (
            _lesson_context(course, ref, lesson_html, generates, "")
            | {"conversation_html": CONVERSATION_MARK}  # escaping leaves the marker as it is
        ),
        fills={CONVERSATION_MARK: str(talk)},
    )


class _NamedRoute(Route):
    """A plain Starlette route that names itself in ``scope["route"]`` when it matches,
    as FastAPI's routes do (the request metrics are labelled with its path)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route"] = self
        return match, child_scope


plain_routes = [
    _NamedRoute(
        "/courses/{course_id}/learn/{point_id}",
        lesson_page,
        methods=["GET"],
        include_in_schema=False,
    )
]
"""Routes served without FastAPI's per-request machinery; the app matches them first."""


def _lesson_context(
    course: Course, ref: PointRef, lesson_html: Markup | None, generates: bool, prompt: str
) -> dict[str, Any]:
    outline = course.outline
    step = outline.step(ref.point.id)
    assert step is not None
    return {
        "tutor_available": generates,
        "offline_prompt": prompt,
        "title": ref.point.title,
        "course": course,
        "ref": ref,
        "lesson_html": lesson_html,
        "point_number": ref.number,
        "point_count": len(outline.section_points(ref.section_index)),
        **path_context(outline, step),
    }


@router.post("/courses/{course_id}/learn/{point_id}/complete")
async def complete_point(
    app: AppDep,
    entry: LoadedDep,
    point_id: str,
    user: UserDep,
    go: Annotated[str, Form(max_length=20)] = "next",
) -> Response:
    """Mark a point read and move on to the next step (``go=next``), or stay (``go=stay``)."""
    course = course_of(entry)
    ref = _point(entry, point_id)
    step = course.outline.step(ref.point.id)
    nxt = course.outline.step_after(step) if step is not None else None
    move_to = nxt.point.point.id if go == "next" and nxt is not None and nxt.point else None
    await record_point(
        app=app,
        user_id=user.id,
        course=course,
        point_id=ref.point.id,
        kind="completed",
        move_to=move_to,
    )
    if go == "next" and nxt is not None:
        return RedirectResponse(f"/courses/{course.id}/{nxt.path}", status_code=303)
    if go == "next":
        return RedirectResponse(f"/courses/{course.id}/progress", status_code=303)
    return RedirectResponse(f"/courses/{course.id}/learn/{ref.point.id}", status_code=303)


@router.get("/courses/{course_id}/progress")
def course_progress(request: Request, entry: LoadedDep, db: SessionDep, user: UserDep) -> Response:
    course = course_of(entry)
    outline = course.outline
    done = _done(db, user, course.id)
    return render(
        request,
        "progress.html",
        title=f"Progress: {course.title}",
        course=course,
        bars=section_bars(course, done),
        done=done,
        outline=outline,
        open_exercises=[e for e in outline.exercises if e.exercise.id in done.skipped],
        attempts=attempts_for(db, user.id, course.id),
    )


@router.get("/progress")
def my_progress(request: Request, courses: StoreDep, db: SessionDep, user: UserDep) -> Response:
    rows = []
    hidden = hidden_courses(db, user)
    for cid in courses.ids():
        entry = courses.get(cid)
        if entry is None or cid in hidden:
            continue
        course = course_of(entry)
        done = _done(db, user, cid)
        bars = section_bars(course, done)
        if done.opened or done.passed:
            rows.append((course, bars, done))
    return render(request, "my_progress.html", title="My progress", rows=rows)
