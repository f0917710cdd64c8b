"""Class operations the pages and the JSON API share.

Changes run each in one transaction in a worker thread; a refusal is a ``Refused`` (400)
with the message for the form. Reads (the class's courses, the gradebook's columns and
downloads, who needs help, a learner's attempts) run in the caller's session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TypeVar

from sqlmodel import Session, col, select
from starlette.responses import StreamingResponse

from curriculum import Course
from web import classes, gradebook, gradebook_export
from web.classauth import require_class
from web.classes import ClassError, ClassView
from web.context import AppContext
from web.courses import CourseStore
from web.models import Attempt, Classroom, User, row_id
from web.paging import Slice
from web.security import Viewer
from web.services.refusals import BadInput, TooManyJoinGuesses
from web.services.transaction import in_transaction, read_in_chunks, reading
from web.stuck import IDLE_DAYS, MIN_FAILED, Idle, StuckOn, idle_learners, stuck_on_exercises

T = TypeVar("T")

ATTEMPTS_PAGE = 50  # a class learner's attempts per page


async def _write(app: AppContext, work: Callable[[Session], T]) -> T:
    def guarded(db: Session) -> T:
        try:
            return work(db)
        except ClassError as exc:
            raise BadInput(str(exc)) from None

    return await in_transaction(app.db_engine, guarded)


def _known_courses(app: AppContext, courses: list[str]) -> list[str]:
    unknown = [c for c in courses if app.courses.get(c) is None]
    if unknown:
        raise BadInput(f"No such course: {unknown[0][:80]}.")
    return courses


async def create_class(
    *, app: AppContext, owner_id: int, name: str, courses: list[str]
) -> Classroom:
    """A new class of this instructor's with these courses and a fresh join code."""
    known = _known_courses(app, courses)
    return await _write(
        app, lambda db: classes.create_class(db, owner_id=owner_id, name=name, courses=known)
    )


async def set_courses(*, app: AppContext, class_id: int, courses: list[str]) -> None:
    known = _known_courses(app, courses)
    await _write(app, lambda db: classes.set_courses(db, class_id=class_id, courses=known))


class _WrongCode(BadInput):
    """No class has the code given: the one refusal that counts as a guess."""


async def join_class(*, app: AppContext, user_id: int, code: str, address: str) -> Classroom:
    """Join by code; wrong codes are limited per account and per client ``address`` (429)."""
    wait = app.join_guesses.take(user_id, address)
    if wait is not None:
        raise TooManyJoinGuesses(retry_after=wait)

    def join(db: Session) -> Classroom:
        try:
            return classes.join(db, user_id=user_id, code=code)
        except classes.UnknownCode as exc:
            raise _WrongCode(str(exc)) from None

    wrong = False
    try:
        return await _write(app, join)
    except _WrongCode:
        wrong = True
        raise
    finally:
        if not wrong:
            app.join_guesses.give_back(user_id, address)


async def add_assistant(*, app: AppContext, class_id: int, email: str) -> None:
    await _write(app, lambda db: classes.add_assistant(db, class_id=class_id, email=email))


async def remove_member(*, app: AppContext, class_id: int, user_id: int) -> bool:
    return await _write(
        app, lambda db: classes.remove_member(db, class_id=class_id, user_id=user_id)
    )


async def archive_class(*, app: AppContext, class_id: int, archived: bool) -> None:
    await _write(app, lambda db: classes.set_archived(db, class_id=class_id, archived=archived))


async def set_deadline(
    *,
    app: AppContext,
    class_id: int,
    course_id: str,
    exercise_id: str,
    due_at: datetime | None,
) -> None:
    """Set (or with None, clear) the deadline; a time without a zone is UTC."""
    entry = app.courses.get(course_id)
    course = entry.course if entry is not None else None
    if course is None or course.outline.exercise(exercise_id) is None:
        raise BadInput("No such exercise in this class's courses.")
    if due_at is not None and due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=UTC)
    await _write(
        app,
        lambda db: classes.set_deadline(
            db, class_id=class_id, course_id=course_id, exercise_id=exercise_id, due_at=due_at
        ),
    )


async def set_visibility(*, app: AppContext, course_id: str, class_only: bool) -> None:
    await _write(
        app, lambda db: classes.set_visibility(db, course_id=course_id, class_only=class_only)
    )


async def exercise_deadline(
    *, app: AppContext, user_id: int, course_id: str, exercise_id: str
) -> datetime | None:
    """The learner's deadline for this exercise (the earliest of their classes')."""
    return await reading(
        app.db_engine,
        lambda db: classes.my_deadline(
            db, user_id=user_id, course_id=course_id, exercise_id=exercise_id
        ),
    )


# --- shared by the class pages and the API ----------------------------------------------


def invite_url(*, base_url: str, code: str) -> str:
    """The link a class's instructor hands out: it opens the class's Join page."""
    return f"{base_url.rstrip('/')}/join/{code}"


async def owned_class(*, app: AppContext, class_id: str, viewer: Viewer) -> ClassView:
    """The class if ``viewer`` is its instructor (read in a worker thread), else 404/403."""
    return await reading(app.db_engine, lambda db: require_class(db, class_id, viewer, "owner"))


def loaded_class_courses(store: CourseStore, view: ClassView) -> list[Course]:
    """The class's courses that have a valid version now, in the class's order."""
    out = []
    for course_id in view.courses:
        entry = store.get(course_id)
        if entry is not None and entry.course is not None:
            out.append(entry.course)
    return out


def gradebook_columns(
    db: Session, *, store: CourseStore, view: ClassView
) -> list[gradebook.Column]:
    """One column per exercise of the class's loaded courses, with its deadline."""
    return gradebook.columns_of(loaded_class_courses(store, view), classes.deadlines(db, view.id))


@dataclass(frozen=True)
class HelpQuery:
    """Who counts as needing help, and which page of each list."""

    failed: int = MIN_FAILED
    days: int = IDLE_DAYS
    stuck_page: int = 1
    idle_page: int = 1


def needs_help(
    db: Session, *, store: CourseStore, view: ClassView, query: HelpQuery
) -> tuple[Slice[StuckOn], Slice[Idle]]:
    """Who needs help in the class, a page of each: learners with ``failed`` failed
    attempts and no pass at one exercise, and learners idle for ``days`` days."""
    stuck = stuck_on_exercises(
        db,
        class_id=view.id,
        columns=gradebook_columns(db, store=store, view=view),
        courses={c.id: c for c in loaded_class_courses(store, view)},
        min_failed=query.failed,
        page=query.stuck_page,
    )
    idle = idle_learners(
        db, class_id=view.id, course_ids=view.courses, days=query.days, page=query.idle_page
    )
    return stuck, idle


@dataclass(frozen=True)
class Download:
    """A file for the browser to save, streamed a chunk of learners at a time."""

    body: AsyncIterator[bytes]
    media_type: str
    filename: str

    @property
    def headers(self) -> dict[str, str]:
        return {"content-disposition": f'attachment; filename="{self.filename}"'}

    def response(self) -> StreamingResponse:
        """The download as the page and the API both answer it."""
        return StreamingResponse(self.body, media_type=self.media_type, headers=self.headers)


GradebookKey = tuple[bool, gradebook.LearnerKey | None]
"""Where a download goes on: whether the head is written, and the last learner written."""


def _gradebook_chunks(
    app: AppContext, view: ClassView, columns: list[gradebook.Column], fmt: Literal["csv", "json"]
) -> AsyncIterator[bytes]:
    def chunk(db: Session, key: GradebookKey | None) -> tuple[str, GradebookKey | None]:
        started, after = key if key is not None else (False, None)
        rows = gradebook.rows_after(
            db, class_id=view.id, columns=columns, after=after, size=gradebook.EXPORT_PAGE
        )
        last = (rows[-1].email, rows[-1].user_id) if len(rows) == gradebook.EXPORT_PAGE else None
        if fmt == "csv":
            text = gradebook_export.csv_lines(
                rows, None if started else gradebook_export.csv_header(columns)
            )
        else:
            head = "" if started else gradebook_export.json_head(view.id, view.room.name, columns)
            body = gradebook_export.json_rows(columns, rows, first=not started)
            text = head + body + ("" if last else gradebook_export.JSON_TAIL)
        return text, (True, last) if last is not None else None

    return read_in_chunks(app.db_engine, chunk)


def gradebook_download(
    app: AppContext,
    db: Session,
    *,
    store: CourseStore,
    view: ClassView,
    fmt: Literal["csv", "json"],
) -> Download:
    """The whole gradebook (every learner, by email) as CSV or JSON, streamed."""
    columns = gradebook_columns(db, store=store, view=view)
    media_type = "text/csv" if fmt == "csv" else "application/json"
    filename = f"class-{view.id}-gradebook.{fmt}"
    return Download(_gradebook_chunks(app, view, columns, fmt), media_type, filename)


@dataclass(frozen=True)
class LearnerAttempts:
    """A page of a class learner's attempts at the class's courses, newest first."""

    learner: User
    exercise: str  # ``course/exercise`` when only that exercise's, else ""
    attempts: list[Attempt]
    more: bool  # a next page exists


def learner_attempts(
    db: Session, *, view: ClassView, learner_id: str, exercise: str, page: int
) -> LearnerAttempts | None:
    """The attempts of a learner of the class (``exercise``: ``course/exercise`` for one
    exercise only, else all), ``ATTEMPTS_PAGE`` a page; None if no such class learner."""
    uid = row_id(learner_id)
    learner = db.get(User, uid) if uid is not None else None
    if learner is None or not classes.is_class_learner(db, view.id, learner.id or 0):
        return None
    query = select(Attempt).where(
        Attempt.user_id == learner.id, col(Attempt.course_id).in_(view.courses)
    )
    course_id, _, exercise_id = exercise.partition("/")
    if exercise_id:
        query = query.where(Attempt.course_id == course_id, Attempt.exercise_id == exercise_id)
    else:
        exercise = ""
    found = db.exec(
        query.order_by(col(Attempt.id).desc())
        .offset((page - 1) * ATTEMPTS_PAGE)
        .limit(ATTEMPTS_PAGE + 1)
    ).all()
    return LearnerAttempts(
        learner, exercise, list(found[:ATTEMPTS_PAGE]), more=len(found) > ATTEMPTS_PAGE
    )
