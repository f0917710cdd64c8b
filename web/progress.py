"""Progress: events recorded once each (opened, completed, passed), bars, resume, completion.

Writers here never commit: they are steps of an operation in ``web.services``, which
commits once for the whole operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from curriculum import Course
from web.db import insert_new, upsert
from web.models import EventKind, LearnerStateRow, ProgressEvent, TargetKind, utcnow


def record(
    db: Session,
    *,
    user_id: int,
    course_id: str,
    kind: EventKind,
    target_kind: TargetKind,
    target_id: str,
) -> bool:
    """Record an event once; whether it is new.  Part of the caller's transaction.

    An indexed read first: a repeat (the usual case: every visit to a page) writes nothing.
    """
    values = {
        "user_id": user_id,
        "course_id": course_id,
        "kind": kind,
        "target_kind": target_kind,
        "target_id": target_id,
    }
    exists = db.exec(
        select(ProgressEvent.id).where(
            ProgressEvent.user_id == user_id,
            ProgressEvent.course_id == course_id,
            ProgressEvent.kind == kind,
            ProgressEvent.target_kind == target_kind,
            ProgressEvent.target_id == target_id,
        )
    ).first()
    return exists is None and insert_new(db, ProgressEvent, values)


def events(db: Session, user_id: int, course_id: str) -> list[ProgressEvent]:
    query = (
        select(ProgressEvent)
        .where(ProgressEvent.user_id == user_id, ProgressEvent.course_id == course_id)
        .order_by(col(ProgressEvent.created_at))
    )
    return list(db.exec(query).all())


@dataclass(frozen=True)
class Done:
    opened: frozenset[str]
    completed: frozenset[str]
    passed: frozenset[str]
    course_completed_at: datetime | None
    skipped: frozenset[str] = frozenset()  # exercises skipped for now and not passed since

    @property
    def finished(self) -> frozenset[str]:
        """Steps the learner is past: points read, exercises passed or skipped."""
        return self.completed | self.passed | self.skipped

    @classmethod
    def of(cls, evs: list[ProgressEvent]) -> Done:
        def ids(kind: str, target: str) -> frozenset[str]:
            return frozenset(e.target_id for e in evs if e.kind == kind and e.target_kind == target)

        finished = next(
            (e.created_at for e in evs if e.kind == "completed" and e.target_kind == "course"),
            None,
        )
        passed = ids("passed", "exercise")
        return cls(
            ids("opened", "point"),
            ids("completed", "point"),
            passed,
            finished,
            ids("skipped", "exercise") - passed,
        )


@dataclass(frozen=True)
class SectionBar:
    number: int
    section_id: str
    title: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def section_bars(course: Course, done: Done) -> list[SectionBar]:
    bars = []
    for section in course.outline.sections:
        points = [p.point.id for p in section.points]
        exercises = [e.exercise.id for e in section.exercises]
        count = sum(p in done.completed for p in points) + sum(e in done.passed for e in exercises)
        total = len(points) + len(exercises)
        bars.append(
            SectionBar(section.number, section.section.id, section.section.title, count, total)
        )
    return bars


def course_done(bars: list[SectionBar]) -> bool:
    return all(b.done == b.total for b in bars)


def update_completion(db: Session, *, user_id: int, course: Course) -> None:
    """Record section and course completion events once everything in them is done."""
    done = Done.of(events(db, user_id, course.id))
    bars = section_bars(course, done)
    finished: list[tuple[TargetKind, str]] = [
        ("section", bar.section_id) for bar in bars if bar.total and bar.done == bar.total
    ]
    if course_done(bars):
        finished.append(("course", course.id))
    for target_kind, target_id in finished:
        record(
            db,
            user_id=user_id,
            course_id=course.id,
            kind="completed",
            target_kind=target_kind,
            target_id=target_id,
        )


def learner_state(db: Session, user_id: int, course_id: str) -> LearnerStateRow | None:
    return db.exec(
        select(LearnerStateRow).where(
            LearnerStateRow.user_id == user_id, LearnerStateRow.course_id == course_id
        )
    ).first()


_POSITION = select(LearnerStateRow.position).where(
    col(LearnerStateRow.user_id) == bindparam("uid"),
    col(LearnerStateRow.course_id) == bindparam("cid"),
)


def position(db: Session, user_id: int, course_id: str) -> str | None:
    """The learner's resume position in a course: one indexed read."""
    params = {"uid": user_id, "cid": course_id}
    found: str | None = db.connection().execute(_POSITION, params).scalar()
    return found


def visit(db: Session, *, user_id: int, course_id: str, point_id: str) -> None:
    """A learner opened a point: record it (once) and make it the resume position."""
    if position(db, user_id, course_id) == point_id:
        return
    record(
        db,
        user_id=user_id,
        course_id=course_id,
        kind="opened",
        target_kind="point",
        target_id=point_id,
    )
    set_position(db, user_id=user_id, course_id=course_id, point_id=point_id)


def set_position(db: Session, *, user_id: int, course_id: str, point_id: str) -> None:
    """Make ``point_id`` the learner's resume position; part of the caller's transaction."""
    keys = {"user_id": user_id, "course_id": course_id}
    upsert(db, LearnerStateRow, keys=keys, values={"position": point_id, "updated_at": utcnow()})
