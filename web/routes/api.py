"""The JSON API under ``/api`` (described at ``/docs``).  It uses the browser session;
state-changing calls need the ``X-CSRF-Token`` header (``GET /api/csrf`` gives one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from curriculum import Course
from curriculum.tree import course_tree
from exercises.verdict import RunOutput
from web.classdata import Page, learner_page, learner_rows
from web.classes import hidden_courses
from web.courses import LoadedCourse
from web.db import SessionDep
from web.deps import (
    AppDep,
    InstructorDep,
    LoadedDep,
    MaybeUser,
    StoreDep,
    UserDep,
    check_deadline,
    course_of,
    csrf_token,
    exercise_ref,
)
from web.models import (
    Attempt,
    AttemptPublic,
    ProgressEventPublic,
    TutorCallPublic,
    TutorFlagPublic,
    UserPublic,
    row_id,
)
from web.paging import LINK_DOC, PAGE_SIZE, Cursor, Limit, PageNumber, link_header
from web.progress import Done, events, section_bars
from web.services import quiz
from web.services.code import MAX_SOURCE_CHARS, submit_code
from web.services.conversations import (
    MAX_NOTE_CHARS,
    Exchange,
    flag_reply,
    flagged_replies,
    group,
    learner_exchanges,
    unflag_reply,
)
from web.services.drafts import draft_at, save_draft
from web.services.progress import PointEvent, attempts_at, record_point, skip_exercise
from web.services.quiz import MAX_SHORT_ANSWER
from web.services.run import run_code
from web.services.transaction import reading

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
    kind: PointEvent
    point_id: Id


class CodeIn(BaseModel):
    source: Annotated[str, Field(max_length=MAX_SOURCE_CHARS)]


class DraftOut(BaseModel):
    source: str


ShortAnswer = Annotated[str, Field(max_length=MAX_SHORT_ANSWER)]
Choices = Annotated[list[int], Field(max_length=100)]


class QuizIn(BaseModel):
    """Answers by question id; ids the quiz does not have are ignored (and not stored)."""

    answers: Annotated[dict[Id, int | Choices | ShortAnswer], Field(max_length=100)]


class CsrfOut(BaseModel):
    token: str


class LearnerProgress(BaseModel):
    user_id: int
    email: str
    section_percent: list[int]
    attempts: int


class TutorExchangeOut(BaseModel):
    """A recorded model call (question, reply shown, guard outcome, cost) and its flag."""

    call: TutorCallPublic
    flag: TutorFlagPublic | None


class TutorConversationOut(BaseModel):
    course_id: str
    target_kind: str
    target_id: str
    exchanges: list[TutorExchangeOut]


class FlaggedReplyOut(TutorExchangeOut):
    learner_email: str


class FlagIn(BaseModel):
    note: Annotated[str, Field(max_length=MAX_NOTE_CHARS)] = ""


def _exchange(ex: Exchange) -> TutorExchangeOut:
    call = TutorCallPublic.model_validate(ex.call, from_attributes=True)
    flag = TutorFlagPublic.model_validate(ex.flag, from_attributes=True) if ex.flag else None
    return TutorExchangeOut(call=call, flag=flag)


def _row(text: str, what: str) -> int:
    value = row_id(text)
    if value is None:
        raise HTTPException(404, f"No such {what}.")
    return value


def _public(course: Course, attempt: Attempt, attempts: list[Attempt]) -> AttemptPublic:
    """An attempt as its learner may see it: a quiz's answers only once they are due."""
    public = AttemptPublic.model_validate(attempt, from_attributes=True)
    return public.model_copy(update={"verdict_json": quiz.shown_json(course, attempt, attempts)})


@router.get("/csrf")
async def get_csrf(request: Request) -> CsrfOut:
    """A CSRF token for this browser (its cookie is set on the response); no I/O, so no
    worker thread."""
    return CsrfOut(token=csrf_token(request))


@router.get("/me")
async def me(user: UserDep) -> UserPublic:  # the user was read on the quick-read thread
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/courses")
def list_courses(courses: StoreDep, db: SessionDep, user: MaybeUser) -> list[CourseSummary]:
    """The courses you may see: public ones, and class-only ones of your classes."""
    out = []
    hidden = hidden_courses(db, user)
    for cid in courses.ids():
        entry = courses.get(cid)
        if entry is not None and entry.course is not None and cid not in hidden:
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


def _progress(db: Session, user_id: int, entry: LoadedCourse) -> ProgressOut:
    course = course_of(entry)
    evs = events(db, user_id, course.id)
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


@router.get("/courses/{course_id}/progress")
def get_progress(entry: LoadedDep, db: SessionDep, user: UserDep) -> ProgressOut:
    return _progress(db, user.id, entry)


@router.post("/courses/{course_id}/progress", status_code=201)
async def post_progress(
    app: AppDep, entry: LoadedDep, user: UserDep, body: Annotated[ProgressIn, Body()]
) -> ProgressOut:
    """Record that a point was opened or completed (idempotent); returns the new progress."""
    course = course_of(entry)
    if course.outline.point(body.point_id) is None:
        raise HTTPException(404, "No such point in this course.")
    await record_point(
        app=app, user_id=user.id, course=course, point_id=body.point_id, kind=body.kind
    )
    return await reading(app.db_engine, lambda db: _progress(db, user.id, entry))


@router.get("/courses/{course_id}/attempts")
async def list_attempts(app: AppDep, entry: LoadedDep, user: UserDep) -> list[AttemptPublic]:
    course = course_of(entry)
    attempts = await attempts_at(app=app, user_id=user.id, course_id=course.id)
    return [_public(course, a, attempts) for a in attempts]


@router.post("/courses/{course_id}/exercises/{exercise_id}/check", status_code=201)
async def check_code(
    request: Request,
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: UserDep,
    body: Annotated[CodeIn, Body()],
) -> AttemptPublic:
    """Grade code in the sandboxed runner; the attempt is stored with its verdict.

    429 with ``Retry-After`` when this learner has too many checks running or submits
    too fast; 503 with ``Retry-After`` when the graders are busy or cannot run, or the
    check could not be graded within ``TUTOR_CHECK_DEADLINE_S`` of its arrival.
    """
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    submitted = await submit_code(
        app=app,
        user_id=user.id,
        course=course,
        ref=ref,
        source=body.source,
        deadline=check_deadline(request),
    )
    return _public(course, submitted.attempts[0], submitted.attempts)


@router.post("/courses/{course_id}/exercises/{exercise_id}/run")
async def run(
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: UserDep,
    body: Annotated[CodeIn, Body()],
) -> RunOutput:
    """Run code in the sandbox, as ``__main__`` with the exercise's limits: its output
    and errors. Nothing is graded or stored (keep the code with ``PUT .../draft``).

    400 for an exercise that is not a code exercise; 429 with ``Retry-After`` past
    ``TUTOR_RUNS_PER_MINUTE`` runs a minute or with too many checks running; 503 with
    ``Retry-After`` when the graders are busy or cannot run.
    """
    ref = exercise_ref(entry, exercise_id)
    return await run_code(app=app, user_id=user.id, ref=ref, source=body.source)


@router.get("/courses/{course_id}/exercises/{exercise_id}/draft")
async def get_draft(app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep) -> DraftOut:
    """Your unsubmitted code for a code exercise; 404 when you have none (a check
    drops it: the attempt keeps the code)."""
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    source = await draft_at(
        app=app, user_id=user.id, course_id=course.id, exercise_id=ref.exercise.id
    )
    if source is None:
        raise HTTPException(404, "You have no draft of this exercise.")
    return DraftOut(source=source)


@router.put("/courses/{course_id}/exercises/{exercise_id}/draft", status_code=204)
async def put_draft(
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: UserDep,
    body: Annotated[CodeIn, Body()],
) -> None:
    """Keep your unsubmitted code (replacing the last draft); the exercise page opens
    with it. 400 for an exercise that is not a code exercise; 429 with ``Retry-After``
    past ``TUTOR_DRAFTS_PER_MINUTE`` saves a minute."""
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    await save_draft(app=app, user_id=user.id, course_id=course.id, ref=ref, source=body.source)


@router.post("/courses/{course_id}/exercises/{exercise_id}/skip", status_code=201)
async def skip(app: AppDep, entry: LoadedDep, exercise_id: str, user: UserDep) -> ProgressOut:
    """Skip the exercise for now (recorded once as a ``skipped`` event; it stays open
    until passed); returns the new progress."""
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    await skip_exercise(app=app, user_id=user.id, course_id=course.id, exercise_id=ref.exercise.id)
    return await reading(app.db_engine, lambda db: _progress(db, user.id, entry))


@router.post("/courses/{course_id}/exercises/{exercise_id}/quiz", status_code=201)
async def answer_quiz(
    app: AppDep,
    entry: LoadedDep,
    exercise_id: str,
    user: UserDep,
    body: Annotated[QuizIn, Body()],
) -> AttemptPublic:
    ref = exercise_ref(entry, exercise_id)
    course = course_of(entry)
    attempts = await quiz.answer_quiz(
        app=app, user_id=user.id, course=course, ref=ref, given=body.answers
    )
    return _public(course, attempts[0], attempts)


@router.get("/instructor/courses/{course_id}/learners", responses=LINK_DOC)
def class_progress(
    request: Request,
    response: Response,
    entry: LoadedDep,
    db: SessionDep,
    user: InstructorDep,
    page: PageNumber = 1,
    limit: Limit = PAGE_SIZE,
) -> list[LearnerProgress]:
    """Instructors only: the learners' progress per section in this course, by email,
    ``limit`` (default 50, at most 200) learners a page (``?page=2`` for the next; an
    empty list past the last); the ``Link`` header names the next and previous pages."""
    course = course_of(entry)
    total = learner_page(db, course, 1, limit).total
    at = Page(number=page, size=limit, total=total)
    rows = learner_rows(db, course, at)
    response.headers["Link"] = link_header(
        request,
        next_page={"page": page + 1} if page < at.count else None,
        prev_page={"page": min(page - 1, at.count)} if page > 1 else None,
    )
    return [
        LearnerProgress(
            user_id=r.user.id or 0,
            email=r.user.email,
            section_percent=[b.percent for b in r.bars],
            attempts=r.attempts,
        )
        for r in rows
    ]


def _keyset_links(request: Request, newer: int | None, older: int | None) -> str:
    """The ``Link`` header of a newest-first keyset page."""
    return link_header(
        request,
        next_page={"before": older} if older is not None else None,
        prev_page={"after": newer} if newer is not None else None,
    )


@router.get("/instructor/learners/{user_id}/tutor", responses=LINK_DOC)
async def learner_tutor_conversations(
    request: Request,
    response: Response,
    user_id: str,
    app: AppDep,
    user: InstructorDep,
    before: Cursor = None,
    after: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> list[TutorConversationOut]:
    """Instructors only: a page of the learner's conversations with the tutor: the newest
    ``limit`` (default 50, at most 200) model calls, or those just older than call
    ``before`` or just newer than call ``after``, grouped one conversation per course and
    point or exercise (in the order they began), each exchange oldest first: the
    question, the reply shown, the guard's outcome (``passed``, ``held_retried``,
    ``replaced``, ``not_applicable``), model, tokens, latency, prompt hash, and the flag.
    The ``Link`` header names the next (older) and previous (newer) pages; a
    conversation can continue on the next page."""
    page = await learner_exchanges(
        app=app, user_id=_row(user_id, "learner"), before=before, after=after, size=limit
    )
    response.headers["Link"] = _keyset_links(request, page.newer, page.older)
    return [
        TutorConversationOut(
            course_id=c.course_id,
            target_kind=c.target_kind,
            target_id=c.target_id,
            exchanges=[_exchange(ex) for ex in c.exchanges],
        )
        for c in group(page.exchanges)
    ]


@router.put("/instructor/tutor-calls/{call_id}/flag")
async def put_flag(
    call_id: str, app: AppDep, user: InstructorDep, body: FlagIn | None = None
) -> TutorExchangeOut:
    """Instructors only: flag a tutor reply with an optional note (``{"note": ...}``, at
    most 2,000 characters); flagging again replaces the note."""
    note = body.note if body else ""
    done = await flag_reply(
        app=app, call_id=_row(call_id, "tutor reply"), instructor_id=user.id, note=note
    )
    if done is None:
        raise HTTPException(404, "No such tutor reply.")
    return _exchange(done)


@router.delete("/instructor/tutor-calls/{call_id}/flag", status_code=204)
async def delete_flag(call_id: str, app: AppDep, user: InstructorDep) -> Response:
    """Instructors only: remove the flag on a tutor reply."""
    if await unflag_reply(app=app, call_id=_row(call_id, "tutor reply")) is None:
        raise HTTPException(404, "No such tutor reply.")
    return Response(status_code=204)


@router.get("/instructor/tutor-flags", responses=LINK_DOC)
async def list_flags(
    request: Request,
    response: Response,
    app: AppDep,
    user: InstructorDep,
    before: Cursor = None,
    after: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> list[FlaggedReplyOut]:
    """Instructors only: a page of the flagged tutor replies, newest flag first: the
    newest ``limit`` (default 50, at most 200), or those just older than flag ``before``
    or just newer than flag ``after``; the ``Link`` header names the next and previous
    pages."""
    page = await flagged_replies(app=app, before=before, after=after, size=limit)
    response.headers["Link"] = _keyset_links(request, page.newer, page.older)
    return [
        FlaggedReplyOut(**_exchange(f.exchange).model_dump(), learner_email=f.learner_email)
        for f in page.items
    ]
