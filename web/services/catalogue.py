"""The catalogue as a learner sees it: each course with its size, level and time, whether
it is an outline this server cannot teach, and the learner's progress in it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from curriculum import Course
from curriculum.outline import Step
from web.progress import Done, SectionBar, events, section_bars


@dataclass(frozen=True)
class CourseCard:
    course: Course
    points: int
    exercises: int
    untaught: int  # points without an authored lesson that no model can teach here
    done: int  # the learner's points read and exercises passed
    started: bool
    completed: bool

    @property
    def total(self) -> int:
        return self.points + self.exercises

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def course_card(db: Session, *, user_id: int | None, course: Course, generates: bool) -> CourseCard:
    outline = course.outline
    untaught = 0 if generates else sum(p.lesson is None for p in outline.points)
    done = Done(frozenset(), frozenset(), frozenset(), None)
    if user_id is not None:
        done = Done.of(events(db, user_id, course.id))
    bars = section_bars(course, done)
    return CourseCard(
        course=course,
        points=len(outline.points),
        exercises=len(outline.exercises),
        untaught=untaught,
        done=sum(b.done for b in bars),
        started=bool(done.opened or done.completed or done.passed),
        completed=done.course_completed_at is not None,
    )


def course_cards(
    db: Session, *, user_id: int | None, courses: list[Course], generates: bool
) -> list[CourseCard]:
    """One card per course, in catalogue order."""
    return [course_card(db, user_id=user_id, course=c, generates=generates) for c in courses]


def current_section(bars: list[SectionBar], resume: Step | None) -> int:
    """The section a course page opens: the learner's place, else the first unfinished."""
    if resume is not None:
        return resume.section_index
    return next((i for i, bar in enumerate(bars) if bar.done < bar.total), 0)
