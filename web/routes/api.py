"""The JSON API under ``/api`` (described at ``/docs``).  It uses the browser session;
state-changing calls need the ``X-CSRF-Token`` header (``GET /api/csrf`` gives one)."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Body, HTTPException, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from curriculum.model import CodeExercise, QuizExercise
from curriculum.tree import course_tree
from exercises.grade import Grader, GraderError, SandboxUnavailable
from exercises.quiz import grade_quiz
from web.attempts import attempts_for
from web.classdata import learner_rows
from web.db import SessionDep
from web.deps import (
    InstructorDep,
    LoadedDep,
    StoreDep,
    UserDep,
    course_of,
    csrf_token,
    exercise_ref,
)
from web.models import Attempt, AttemptPublic, ProgressEventPublic, UserPublic
from web.progress import Done, events, record, section_bars, update_completion
from web.routes.exercises import MAX_SOURCE_CHARS, _store

router = APIRouter(prefix="/api", tags=["api"])

Id = Annotated[str, Field(max_length=80)]


class CourseSummary(BaseModel):
    id: str
    title: str
    description: str
    sections: int


class PointOut(BaseModel):
    id: str
    title: str
    has_lesson: bool = Field(validation_alias="lesson")


class ExerciseOut(BaseModel):
    id: str
    title: str
    kind: str


class TopicOut(BaseModel):
    id: str
    title: str
    points: list[PointOut]
    exercises: list[ExerciseOut]


class SectionOut(BaseModel):
    id: str
    title: str
    topics: list[TopicOut]
    exercises: list[ExerciseOut]


class CourseOut(BaseModel):
    id: str
    title: str
    sections: list[SectionOut]


class SectionProgress(BaseModel):
    section_id: str
    title: str
    done: int
    total: int
    percent: int


class ProgressOut(BaseModel):
    course_id: str
    sections: list[SectionProgress]
    events: list[ProgressEventPublic]
    completed: bool


class ProgressIn(BaseModel):
    kind: Literal["opened", "completed"]
    point_id: Id


class CodeIn(BaseModel):
    source: Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]


class QuizIn(BaseModel):
    answers: dict[Id, int | list[int] | Annotated[str, Field(max_length=1000)]]


class CsrfOut(BaseModel):
    token: str


class LearnerProgress(BaseModel):
    user_id: int
    email: str
    section_percent: list[int]
    attempts: int


def _public(attempt: Attempt) -> AttemptPublic:
    return AttemptPublic.model_validate(attempt, from_attributes=True)


@router.get("/csrf")
def get_csrf(request: Request) -> CsrfOut:
    """A CSRF token for this browser (its cookie is set on the response)."""
    return CsrfOut(token=csrf_token(request))


@router.get("/me")
def me(user: UserDep) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/courses")
def list_courses(courses: StoreDep) -> list[CourseSummary]:
    out = []
    for cid in courses.ids():
        entry = courses.get(cid)
        if entry is not None and entry.course is not None:
            c = entry.course
            out.append(
                CourseSummary(
                    id=c.id,
                    title=c.title,
                    description=c.description,
                    sections=len(c.outline.sections),
                )
            )
    return out


@router.get("/courses/{course_id}")
def get_course(entry: LoadedDep) -> CourseOut:
    """The course's outline (the same tree as ``tutor show --json``)."""
    return CourseOut.model_validate(course_tree(course_of(entry)))


@router.get("/courses/{course_id}/progress")
def get_progress(entry: LoadedDep, db: SessionDep, user: UserDep) -> ProgressOut:
    course = course_of(entry)
    assert user.id is not None
    evs = events(db, user.id, course.id)
    done = Done.of(evs)
    bars = section_bars(course, done)
    return ProgressOut(
        course_id=course.id,
        sections=[
            SectionProgress(
                section_id=b.section_id,
                title=b.title,
                done=b.done,
                total=b.total,
                percent=b.percent,
            )
            for b in bars
        ],
        events=[ProgressEventPublic.model_validate(e, from_attributes=True) for e in evs],
        completed=done.course_completed_at is not None,
    )


@router.post("/courses/{course_id}/progress", status_code=201)
def post_progress(
    entry: LoadedDep, db: SessionDep, user: UserDep, body: Annotated[ProgressIn, Body()]
) -> ProgressOut:
    """Record that a point was opened or completed (idempotent); returns the new progress."""
    course = course_of(entry)
    if course.outline.point(body.point_id) is None:
        raise HTTPException(404, "No such point in this course.")
    assert user.id is not None
    record(db, user.id, course.id, body.kind, "point", body.point_id)
    if body.kind == "completed":
        update_completion(db, user.id, course.id, course)
    return get_progress(entry, db, user)


@router.get("/courses/{course_id}/attempts")
def list_attempts(entry: LoadedDep, db: SessionDep, user: UserDep) -> list[AttemptPublic]:
    assert user.id is not None
    return [_public(a) for a in attempts_for(db, user.id, course_of(entry).id)]


@router.post("/courses/{course_id}/exercises/{exercise_id}/check", status_code=201)
async def check_code(
    request: Request,
    entry: LoadedDep,
    exercise_id: str,
    db: SessionDep,
    user: UserDep,
    body: Annotated[CodeIn, Body()],
) -> AttemptPublic:
    """Grade code in the sandboxed runner; the attempt is stored with its verdict."""
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, CodeExercise):
        raise HTTPException(400, "This exercise is not a code exercise.")
    course = course_of(entry)
    assert user.id is not None
    previous = await run_in_threadpool(attempts_for, db, user.id, course.id, exercise_id)
    grader: Grader = request.app.state.grader
    try:
        verdict = await grader.agrade(ref.exercise, body.source, attempt=len(previous) + 1)
    except (SandboxUnavailable, GraderError) as exc:
        raise HTTPException(503, f"The checks could not run: {exc}") from None
    attempts = await run_in_threadpool(
        _store, db, user, entry, ref, "code", verdict.passed, body.source, verdict.model_dump()
    )
    return _public(attempts[0])


@router.post("/courses/{course_id}/exercises/{exercise_id}/quiz", status_code=201)
def answer_quiz(
    entry: LoadedDep,
    exercise_id: str,
    db: SessionDep,
    user: UserDep,
    body: Annotated[QuizIn, Body()],
) -> AttemptPublic:
    ref = exercise_ref(entry, exercise_id)
    if not isinstance(ref.exercise, QuizExercise):
        raise HTTPException(400, "This exercise is not a quiz.")
    verdict = grade_quiz(ref.exercise, body.answers)
    attempts = _store(
        db, user, entry, ref, "quiz", verdict.passed, json.dumps(body.answers), verdict.model_dump()
    )
    return _public(attempts[0])


@router.get("/instructor/courses/{course_id}/learners")
def class_progress(entry: LoadedDep, db: SessionDep, user: InstructorDep) -> list[LearnerProgress]:
    """Instructors only: every learner's progress per section in this course."""
    rows = learner_rows(db, course_of(entry))
    return [
        LearnerProgress(
            user_id=r.user.id or 0,
            email=r.user.email,
            section_percent=[b.percent for b in r.bars],
            attempts=r.attempts,
        )
        for r in rows
    ]
