"""A class's gradebook: one row per learner, one column per exercise of its courses.

Every number is aggregated by the database (attempts grouped per learner and exercise,
on the ``(user_id, course_id, exercise_id)`` index), a page of learners at a time; the
page is sorted and filtered in SQL, so a class of any size costs one page of rows.
A cell's status is ``passed``, ``skipped`` (the learner chose "Skip for now" and has
not passed it since), ``tried`` (attempts, none passed) or ``open`` (nothing yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, and_, case, distinct, exists, false, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func

from curriculum import Course
from web.classdata import Page
from web.models import Attempt, ClassMember, ProgressEvent, User, aware

Sort = Literal["email", "passed", "attempts", "last"]
SORTS: tuple[Sort, ...] = ("email", "passed", "attempts", "last")
Status = Literal["passed", "skipped", "tried", "open"]
STATUSES: tuple[Status, ...] = ("passed", "skipped", "tried", "open")
PAGE_SIZE = 50
EXPORT_PAGE = 200  # learners per database round trip of a download


@dataclass(frozen=True)
class Column:
    course_id: str
    exercise_id: str
    title: str
    kind: str
    due_at: datetime | None

    @property
    def key(self) -> str:
        return f"{self.course_id}/{self.exercise_id}"


@dataclass(frozen=True)
class Cell:
    status: Status
    best: int | None  # percent of checks right, best attempt
    attempts: int
    last: datetime | None
    late: bool


OPEN = Cell("open", None, 0, None, False)


@dataclass(frozen=True)
class Row:
    user_id: int
    email: str
    passed: int
    attempts: int
    last: datetime | None
    cells: list[Cell]


@dataclass(frozen=True)
class Query:
    """What the viewer asked for (query parameters, already validated)."""

    sort: Sort = "email"
    desc: bool = False
    q: str = ""  # part of an email
    exercise: str = ""  # a column key, "course/exercise", to filter on
    status: Status | None = None
    page: int = 1


@dataclass(frozen=True)
class Gradebook:
    columns: list[Column]
    rows: list[Row]
    page: Page
    query: Query = field(default_factory=Query)


def columns_of(courses: list[Course], due: dict[tuple[str, str], datetime]) -> list[Column]:
    """The class's exercises, course by course, in outline order."""
    return [
        Column(
            c.id,
            ref.exercise.id,
            ref.exercise.title,
            ref.exercise.kind,
            due.get((c.id, ref.exercise.id)),
        )
        for c in courses
        for ref in c.outline.exercises
    ]


def at_exercises(columns: list[Column]) -> ColumnElement[bool]:
    """Attempts at the exercises of these columns (the courses' current outlines)."""
    by_course: dict[str, list[str]] = {}
    for c in columns:
        by_course.setdefault(c.course_id, []).append(c.exercise_id)
    if not by_course:
        return false()
    return or_(
        *(
            and_(col(Attempt.course_id) == course, col(Attempt.exercise_id).in_(ids))
            for course, ids in by_course.items()
        )
    )


def _totals(class_id: int, columns: list[Column]) -> Any:
    """Per learner of the class: attempts, exercises passed, last attempt (a subquery,
    joined only to sort by one of them)."""
    passed_key = case((col(Attempt.passed), Attempt.course_id + "/" + Attempt.exercise_id))
    return (
        sa_select(
            col(Attempt.user_id).label("user_id"),
            func.count().label("attempts"),
            func.count(distinct(passed_key)).label("passed"),
            func.max(Attempt.created_at).label("last"),
        )
        .where(col(Attempt.user_id).in_(_members(class_id)), at_exercises(columns))
        .group_by(col(Attempt.user_id))
        .subquery()
    )


def _members(class_id: int) -> Select[Any]:
    return sa_select(col(ClassMember.user_id)).where(
        col(ClassMember.class_id) == class_id, col(ClassMember.role) == "learner"
    )


def _status_filter(column: Column, status: Status) -> ColumnElement[bool]:
    at = and_(
        col(Attempt.user_id) == col(ClassMember.user_id),
        col(Attempt.course_id) == column.course_id,
        col(Attempt.exercise_id) == column.exercise_id,
    )
    tried = exists().where(at)
    passed = exists().where(at, col(Attempt.passed))
    skipped = exists().where(
        col(ProgressEvent.user_id) == col(ClassMember.user_id),
        col(ProgressEvent.course_id) == column.course_id,
        col(ProgressEvent.kind) == "skipped",
        col(ProgressEvent.target_kind) == "exercise",
        col(ProgressEvent.target_id) == column.exercise_id,
    )
    if status == "passed":
        return passed
    if status == "skipped":
        return and_(skipped, ~passed)
    if status == "tried":
        return and_(tried, ~passed, ~skipped)
    return and_(~tried, ~skipped)


Learners = Select[int | None, str]  # (user id, email)


def _learners(class_id: int, columns: list[Column], query: Query) -> Learners:
    """The class's learners the query's filters keep (not yet sorted)."""
    stmt = (
        sa_select(col(User.id), col(User.email))
        .select_from(ClassMember)
        .join(User, col(User.id) == col(ClassMember.user_id))
        .where(col(ClassMember.class_id) == class_id, col(ClassMember.role) == "learner")
    )
    if query.q:
        escaped = query.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(col(User.email).like(f"%{escaped}%", escape="\\"))
    chosen = next((c for c in columns if c.key == query.exercise), None)
    if chosen is not None and query.status is not None:
        stmt = stmt.where(_status_filter(chosen, query.status))
    return stmt


def _ordered(stmt: Learners, class_id: int, columns: list[Column], query: Query) -> Learners:
    """Sorted as asked; the per-learner totals are aggregated only to sort by them."""
    if query.sort == "email":
        key: Any = col(User.email)
    else:
        totals = _totals(class_id, columns)
        stmt = stmt.outerjoin(totals, totals.c.user_id == col(ClassMember.user_id))
        key = {
            "passed": func.coalesce(totals.c.passed, 0),
            "attempts": func.coalesce(totals.c.attempts, 0),
            "last": totals.c.last,
        }[query.sort]
    first = key.desc() if query.desc else key.asc()
    if query.sort == "last":  # learners who never tried sort last either way
        first = first.nulls_last()
    return stmt.order_by(first, col(User.email), col(User.id))


CellKey = tuple[int, str, str]  # learner, course, exercise


def _cells(db: Session, user_ids: list[int], columns: list[Column]) -> dict[CellKey, Any]:
    """The aggregate per (learner, course, exercise) for a page of learners."""
    if not user_ids:
        return {}
    rows = db.connection().execute(
        sa_select(
            col(Attempt.user_id),
            col(Attempt.course_id),
            col(Attempt.exercise_id),
            func.count(),
            func.max(Attempt.score),
            func.max(case((col(Attempt.passed), 1), else_=0)),
            func.max(Attempt.created_at),
            func.min(case((col(Attempt.passed), col(Attempt.created_at)))),
        )
        .where(col(Attempt.user_id).in_(user_ids), at_exercises(columns))
        .group_by(col(Attempt.user_id), col(Attempt.course_id), col(Attempt.exercise_id))
    )
    return {(r[0], r[1], r[2]): r[3:] for r in rows.all()}


OPEN_LATE = Cell("open", None, 0, None, True)
SKIPPED = Cell("skipped", None, 0, None, False)
SKIPPED_LATE = Cell("skipped", None, 0, None, True)


def _skipped(db: Session, user_ids: list[int], columns: list[Column]) -> set[CellKey]:
    """The (learner, course, exercise) the page's learners skipped for now."""
    if not user_ids:
        return set()
    rows = db.connection().execute(
        sa_select(
            col(ProgressEvent.user_id), col(ProgressEvent.course_id), col(ProgressEvent.target_id)
        ).where(
            col(ProgressEvent.user_id).in_(user_ids),
            col(ProgressEvent.course_id).in_({c.course_id for c in columns}),
            col(ProgressEvent.kind) == "skipped",
            col(ProgressEvent.target_kind) == "exercise",
        )
    )
    return {(r[0], r[1], r[2]) for r in rows.all()}


def _cell(found: Any, skipped: bool, due: datetime | None, now: datetime) -> Cell:
    """A cell from its aggregate (attempts, best, passed, last, first pass) or None."""
    overdue = due is not None and now > due
    if found is None:
        if skipped:
            return SKIPPED_LATE if overdue else SKIPPED
        return OPEN_LATE if overdue else OPEN
    attempts, best, passed, last, first_pass = found
    late = False
    if due is not None:
        late = aware(first_pass) > due if first_pass is not None else now > due
    if best is None:  # attempts stored before scores were kept
        best = 100 if passed else None
    status: Status = "passed" if passed else "skipped" if skipped else "tried"
    return Cell(status, best, attempts, aware(last), late)


def _row(user_id: int, email: str, cells: list[Cell]) -> Row:
    passed = sum(1 for c in cells if c.status == "passed")
    attempts = sum(c.attempts for c in cells)
    last = max((c.last for c in cells if c.last is not None), default=None)
    return Row(user_id, email, passed, attempts, last, cells)


def _rows(db: Session, learners: list[tuple[int, str]], columns: list[Column]) -> list[Row]:
    user_ids = [uid for uid, _ in learners]
    found = _cells(db, user_ids, columns)
    skipped = _skipped(db, user_ids, columns)
    now = datetime.now(UTC)
    keyed = [
        (c.course_id, c.exercise_id, aware(c.due_at) if c.due_at is not None else None)
        for c in columns
    ]
    return [
        _row(
            uid,
            email,
            [
                _cell(found.get((uid, course, ex)), (uid, course, ex) in skipped, due, now)
                for course, ex, due in keyed
            ],
        )
        for uid, email in learners
    ]


def gradebook(
    db: Session, *, class_id: int, columns: list[Column], query: Query, size: int = PAGE_SIZE
) -> Gradebook:
    """One page of the gradebook, sorted and filtered as ``query`` asks."""
    stmt = _learners(class_id, columns, query)
    counted = sa_select(func.count()).select_from(stmt.subquery())
    total = int(db.connection().execute(counted).scalar_one())
    page = Page(number=max(query.page, 1), size=size, total=total)
    page = Page(number=min(page.number, page.count), size=size, total=total)
    ordered = _ordered(stmt, class_id, columns, query).offset(page.offset).limit(page.size)
    learners = [(uid or 0, email) for uid, email in db.connection().execute(ordered)]
    return Gradebook(columns, _rows(db, learners, columns), page, query)


LearnerKey = tuple[str, int]
"""A learner's place in the email order: (email, id)."""


def rows_after(
    db: Session, *, class_id: int, columns: list[Column], after: LearnerKey | None, size: int
) -> list[Row]:
    """The rows of the class's ``size`` learners just after ``after`` by email (keyset,
    for downloads: learners joining meanwhile neither repeat nor shift a row)."""
    stmt = _learners(class_id, columns, Query())
    if after is not None:
        email, uid = after
        stmt = stmt.where(
            or_(col(User.email) > email, and_(col(User.email) == email, col(User.id) > uid))
        )
    ordered = stmt.order_by(col(User.email), col(User.id)).limit(size)
    learners = [(uid or 0, email) for uid, email in db.connection().execute(ordered)]
    return _rows(db, learners, columns)


def query_string(base: dict[str, str], **extra: str) -> str:
    """``base`` and ``extra`` as a URL query, empty values left out (for the page's
    sort, filter and pager links)."""
    return urlencode({k: v for k, v in (base | extra).items() if v})
