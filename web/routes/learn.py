"""Learner pages: catalogue, course page, lessons with next/previous and the continue prompt."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from curriculum import Course
from curriculum.outline import PointRef
from tutor import flow
from web.courses import LoadedCourse
from web.db import SessionDep
from web.deps import (
    LoadedDep,
    MaybeUser,
    StoreDep,
    UserDep,
    course_of,
    find_course,
    render,
    user_and_position,
)
from web.pagecache import shared_page
from web.progress import (
    Done,
    events,
    learner_state,
    record,
    section_bars,
    set_position,
    update_completion,
    visit,
)
from web.render import cached_lesson
from web.security import Viewer
from web.tutoring import load_state, offline_prompt

router = APIRouter(include_in_schema=False)


@router.get("/")
def catalogue(request: Request, courses: StoreDep, user: MaybeUser, welcome: str = "") -> Response:
    items = [e for cid in courses.ids() if (e := courses.get(cid)) is not None]
    return render(
        request,
        "catalogue.html",
        title="Courses",
        courses=[course_of(e) for e in items],
        welcome=welcome == "instructor",
    )


def _done(db: SessionDep, user: Viewer | None, course_id: str) -> Done:
    if user is None or user.id is None:
        return Done(frozenset(), frozenset(), frozenset(), None)
    return Done.of(events(db, user.id, course_id))


@router.get("/courses/{course_id}")
def course_page(request: Request, entry: LoadedDep, db: SessionDep, user: MaybeUser) -> Response:
    course = course_of(entry)
    outline = course.outline
    done = _done(db, user, course.id)
    resume = None
    if user is not None and user.id is not None:
        state = learner_state(db, user.id, course.id)
        resume = outline.point(state.position) if state and state.position else None
    return render(
        request,
        "course.html",
        title=course.title,
        course=course,
        outline=outline,
        bars=section_bars(course, done),
        done=done,
        resume=resume,
    )


@router.get("/courses/{course_id}/resume")
def resume(entry: LoadedDep, db: SessionDep, user: UserDep) -> Response:
    course = course_of(entry)
    outline = course.outline
    assert user.id is not None
    state = learner_state(db, user.id, course.id)
    ref = outline.point(state.position) if state and state.position else None
    ref = ref or (outline.points[0] if outline.points else None)
    if ref is None:
        raise HTTPException(404, "This course has no points yet.")
    return RedirectResponse(f"/courses/{course.id}/learn/{ref.point.id}", status_code=303)


def _point(entry: LoadedCourse, point_id: str) -> PointRef:
    ref = course_of(entry).outline.point(point_id)
    if ref is None:
        raise HTTPException(404, "No such point in this course.")
    return ref


def _visit(engine: Engine, user_id: int, course_id: str, point_id: str) -> None:
    with Session(engine) as db:
        visit(db, user_id, course_id, point_id)


def _offline_prompt(request: Request, course: Course, user: Viewer | None, ref: PointRef) -> str:
    with Session(request.app.state.engine) as db:
        state = load_state(db, user.id, course) if user else flow.new_state(course)
    return offline_prompt(request.app.state.tutor, course, state, ref)


@router.get("/courses/{course_id}/learn/{point_id}")
async def lesson_page(request: Request, course_id: str, point_id: str) -> Response:
    """The hottest page: no per-request dependencies beyond CSRF, one database read.

    The session check and the learner's position come from one query; the lesson HTML
    is cached per course version. Only a move to another point writes (in a thread).
    """
    entry = find_course(request, course_id)
    course = course_of(entry)
    ref = _point(entry, point_id)
    lesson_html = (
        cached_lesson(course.id, entry.version, ref.point.id, ref.lesson)
        if ref.lesson is not None
        else None
    )
    generates = request.app.state.tutor.backend.generates
    # The hot path runs on the event loop (no thread hop): one indexed read. Only when
    # the learner moved to another point does it write, in a worker thread.
    user, where = user_and_position(request, course.id)
    if user is not None and where != ref.point.id:
        engine = request.app.state.engine
        await run_in_threadpool(_visit, engine, user.id, course.id, ref.point.id)
    if lesson_html is None:
        prompt = ""
        if not generates:
            prompt = await run_in_threadpool(_offline_prompt, request, course, user, ref)
        context = _lesson_context(course, ref, lesson_html, generates, prompt)
        return render(request, "lesson.html", **context)
    # An authored lesson's page is the same for every viewer of a role: rendered once.
    key = ("lesson", course.id, entry.version, ref.point.id, generates)
    return shared_page(
        request,
        key,
        "lesson.html",
        user,
        lambda: _lesson_context(course, ref, lesson_html, generates, ""),
    )


def _lesson_context(
    course: Course, ref: PointRef, lesson_html: Markup | None, generates: bool, prompt: str
) -> dict[str, Any]:
    outline = course.outline
    prev, nxt = outline.neighbours(ref)
    continue_text = outline.continue_after(ref)
    next_section = outline.sections[nxt.section_index].section if continue_text and nxt else None
    return {
        "tutor_available": generates,
        "offline_prompt": prompt,
        "title": ref.point.title,
        "course": course,
        "ref": ref,
        "prev": prev,
        "nxt": nxt,
        "section_end": ref.section_end,
        "lesson_html": lesson_html,
        "continue_text": continue_text,
        "next_section": next_section,
        "point_number": ref.number,
        "point_count": len(outline.section_points(ref.section_index)),
        "exercises": outline.topic_exercises(ref.topic.id) if ref.topic_end else (),
        "section_exercises": outline.section_exercises(ref.section_index)
        if ref.section_end
        else (),
    }


@router.post("/courses/{course_id}/learn/{point_id}/complete")
def complete_point(
    entry: LoadedDep,
    point_id: str,
    db: SessionDep,
    user: UserDep,
    go: Annotated[str, Form(max_length=20)] = "next",
) -> Response:
    """Mark a point read and move on (``go=next``), or stay on it (``go=stay``)."""
    course = course_of(entry)
    ref = _point(entry, point_id)
    assert user.id is not None
    record(db, user.id, course.id, "completed", "point", ref.point.id)
    update_completion(db, user.id, course.id, course)
    _, nxt = course.outline.neighbours(ref)
    if go == "next" and nxt is not None:
        set_position(db, user.id, course.id, nxt.point.id)
        return RedirectResponse(f"/courses/{course.id}/learn/{nxt.point.id}", status_code=303)
    if go == "next":
        return RedirectResponse(f"/courses/{course.id}/progress", status_code=303)
    return RedirectResponse(f"/courses/{course.id}/learn/{ref.point.id}", status_code=303)


@router.get("/courses/{course_id}/progress")
def course_progress(request: Request, entry: LoadedDep, db: SessionDep, user: UserDep) -> Response:
    course = course_of(entry)
    assert user.id is not None
    outline = course.outline
    done = _done(db, user, course.id)
    from web.attempts import attempts_for

    return render(
        request,
        "progress.html",
        title=f"Progress: {course.title}",
        course=course,
        bars=section_bars(course, done),
        done=done,
        outline=outline,
        attempts=attempts_for(db, user.id, course.id),
    )


@router.get("/progress")
def my_progress(request: Request, courses: StoreDep, db: SessionDep, user: UserDep) -> Response:
    assert user.id is not None
    rows = []
    for cid in courses.ids():
        entry = courses.get(cid)
        if entry is None:
            continue
        course = course_of(entry)
        done = _done(db, user, cid)
        bars = section_bars(course, done)
        if done.opened or done.passed:
            rows.append((course, bars, done))
    return render(request, "my_progress.html", title="My progress", rows=rows)
