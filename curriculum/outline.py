"""The outline of a loaded course: every section, topic, point and exercise in course order,
each with its place, and the learner's path through it (:class:`Step`: a topic's points,
then its exercises, then the section's own exercises).

It is built once per course (:attr:`curriculum.model.Course.outline`, built by the loader)
and is the one walk of the course tree: navigation, the pages, the grader's exercise
lookup and both serialisations (``tutor show --json``, the JSON API) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from curriculum.model import (
        BorrowedLesson,
        CodeExercise,
        Course,
        Lesson,
        Point,
        QuizExercise,
        Section,
        SelfCheckExercise,
        Topic,
    )


class Position(BaseModel):
    """A point of the course, by indices (for moving) and ids (for humans and stability)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: int = 0
    topic: int = 0
    point: int = 0
    section_id: str = ""
    topic_id: str = ""
    point_id: str = ""


@dataclass(eq=False, slots=True)
class PointRef:
    """A point in its place.  Read-only like the rest of the outline (not frozen only
    because a course has up to tens of thousands of points: a frozen one is 4x slower to
    make)."""

    index: int  # in the whole course, from 0
    section_index: int
    topic_index: int  # in its section
    point_index: int  # in its topic
    number: int  # in its section, from 1
    section: Section
    topic: Topic
    point: Point
    topic_end: bool  # the last point of its topic
    section_end: bool  # the last point of its section
    borrowed: BorrowedLesson | None = None  # the lesson its ``lesson_from`` names
    _position: Position | None = field(default=None, repr=False)

    @property
    def position(self) -> Position:
        """The point's place as the tutor keeps it (made on first use: most are never asked)."""
        if self._position is None:
            self._position = Position.model_construct(  # trusted values: no validation needed
                section=self.section_index,
                topic=self.topic_index,
                point=self.point_index,
                section_id=self.section.id,
                topic_id=self.topic.id,
                point_id=self.point.id,
            )
        return self._position

    @property
    def lesson(self) -> Lesson | None:
        """The point's authored lesson: its own, or the one another course lends it."""
        return self.borrowed.lesson if self.borrowed is not None else self.point.lesson


@dataclass(frozen=True, eq=False)
class ExerciseRef:
    """An exercise in its place: attached to a topic, or to its section (``topic`` None)."""

    section_index: int
    section: Section
    topic: Topic | None
    exercise: CodeExercise | QuizExercise | SelfCheckExercise


@dataclass(frozen=True, eq=False, slots=True)
class Step:
    """One step of the learner's path: a point to read or an exercise to practise.

    The path is the course order with practice in it: each topic's points, then its
    exercises, then the section's own exercises at the section's end.
    """

    index: int  # in the whole path, from 0
    section_index: int
    point: PointRef | None
    exercise: ExerciseRef | None

    @property
    def kind(self) -> str:
        """``point`` or ``exercise``."""
        return "point" if self.point is not None else "exercise"

    @property
    def id(self) -> str:
        """The id of the point or exercise (ids are unique in a course)."""
        if self.point is not None:
            return self.point.point.id
        assert self.exercise is not None
        return self.exercise.exercise.id

    @property
    def title(self) -> str:
        if self.point is not None:
            return self.point.point.title
        assert self.exercise is not None
        return self.exercise.exercise.title

    @property
    def path(self) -> str:
        """The step's page, relative to the course's page (``learn/ID`` or ``exercises/ID``)."""
        return f"learn/{self.id}" if self.point is not None else f"exercises/{self.id}"


@dataclass(frozen=True, eq=False)
class TopicRef:
    section_index: int
    index: int  # in its section
    topic: Topic
    points: tuple[PointRef, ...]
    exercises: tuple[ExerciseRef, ...]


@dataclass(frozen=True, eq=False)
class SectionRef:
    index: int
    section: Section
    topics: tuple[TopicRef, ...]
    points: tuple[PointRef, ...]
    exercises: tuple[ExerciseRef, ...]  # its topics' exercises, then its own, in course order
    own_exercises: tuple[ExerciseRef, ...]  # attached to the section itself

    @property
    def number(self) -> int:
        return self.index + 1


class Outline:
    """The ordered structure of one course; immutable, like the course."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.sections = tuple(_Builder(course).sections())
        self.topics = tuple(t for s in self.sections for t in s.topics)
        self.points = tuple(p for s in self.sections for p in s.points)
        self.exercises = tuple(e for s in self.sections for e in s.exercises)
        self._sections = {s.section.id: s for s in self.sections}
        self._points = {p.point.id: p for p in self.points}
        self._topics = {t.topic.id: t for t in self.topics}
        self._exercises = {e.exercise.id: e for e in self.exercises}
        self._places = {(p.section_index, p.topic_index, p.point_index): p for p in self.points}
        self.steps = tuple(_steps(self.sections))
        self._steps = {step.id: step for step in self.steps}

    # --- lookup -------------------------------------------------------------------------

    def section(self, section_id: str) -> SectionRef | None:
        return self._sections.get(section_id)

    def point(self, point_id: str) -> PointRef | None:
        return self._points.get(point_id)

    def topic(self, topic_id: str) -> TopicRef | None:
        return self._topics.get(topic_id)

    def exercise(self, exercise_id: str) -> ExerciseRef | None:
        return self._exercises.get(exercise_id)

    def at(self, section: int, topic: int, point: int) -> PointRef | None:
        """The point at these indices (from 0), if there is one."""
        return self._places.get((section, topic, point))

    # --- order ----------------------------------------------------------------------------

    def neighbours(self, ref: PointRef) -> tuple[PointRef | None, PointRef | None]:
        """The points before and after ``ref`` in the whole course."""
        i = ref.index
        prev = self.points[i - 1] if i > 0 else None
        nxt = self.points[i + 1] if i + 1 < len(self.points) else None
        return prev, nxt

    def first_from(self, section_index: int) -> PointRef | None:
        """The first point of this section, or of the next section that has points."""
        for section in self.sections[max(section_index, 0) :]:
            if section.points:
                return section.points[0]
        return None

    def section_points(self, section_index: int) -> tuple[PointRef, ...]:
        return self.sections[section_index].points

    def section_exercises(self, section_index: int) -> tuple[ExerciseRef, ...]:
        return self.sections[section_index].exercises

    def topic_exercises(self, topic_id: str) -> tuple[ExerciseRef, ...]:
        found = self._topics.get(topic_id)
        return found.exercises if found is not None else ()

    # --- the learner's path ---------------------------------------------------------------

    def step(self, target_id: str) -> Step | None:
        """The step of this point or exercise id."""
        return self._steps.get(target_id)

    def step_after(self, step: Step) -> Step | None:
        i = step.index + 1
        return self.steps[i] if i < len(self.steps) else None

    def step_before(self, step: Step) -> Step | None:
        return self.steps[step.index - 1] if step.index > 0 else None

    def section_steps(self, section_index: int) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.section_index == section_index)

    def next_label(self, step: Step) -> str:
        """The label of the one way forward from ``step``: "Next point", "Next: practise
        <title>", "Continue to Section N (<title>)", or "Finish the course"."""
        nxt = self.step_after(step)
        if nxt is None:
            return "Finish the course"
        if nxt.section_index != step.section_index:
            section = self.sections[nxt.section_index]
            return f"Continue to Section {section.number} ({section.section.title})"
        if nxt.exercise is not None:
            return f"Next: practise {nxt.title}"
        return "Next point"

    def resume_step(self, finished: frozenset[str]) -> Step | None:
        """Where a learner resumes: the first step not in ``finished`` (ids of points read,
        exercises passed or skipped) after the furthest finished one; else the first
        unfinished step anywhere; None when every step is finished."""
        furthest = max((s.index for s in self.steps if s.id in finished), default=-1)
        later = (s for s in self.steps[furthest + 1 :] if s.id not in finished)
        found = next(later, None)
        if found is None:
            found = next((s for s in self.steps if s.id not in finished), None)
        return found

    # --- texts ------------------------------------------------------------------------------

    def continue_text(self, section_index: int) -> str:
        """The course's continue prompt for moving on to the section at ``section_index``."""
        section = self.sections[section_index]
        return self.course.continue_prompt.format(
            number=section.number, title=section.section.title
        )

    def continue_after(self, ref: PointRef) -> str | None:
        """The continue prompt after ``ref``, when the next point is in another section."""
        _, nxt = self.neighbours(ref)
        if nxt is None or nxt.section_index == ref.section_index:
            return None
        return self.continue_text(nxt.section_index)


class _Builder:
    """One walk of the course tree, numbering everything on the way."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.index = 0

    def sections(self) -> list[SectionRef]:
        return [self._section(s, section) for s, section in enumerate(self.course.sections)]

    def _section(self, s: int, section: Section) -> SectionRef:
        last = max((t for t, topic in enumerate(section.topics) if topic.points), default=-1)
        topics: list[TopicRef] = []
        number = 1
        for t, topic in enumerate(section.topics):
            topics.append(self._topic(s, section, t, topic, number=number, last=t == last))
            number += len(topic.points)
        points = tuple(p for topic in topics for p in topic.points)
        own = tuple(ExerciseRef(s, section, None, e) for e in section.exercises)
        exercises = (*(e for topic in topics for e in topic.exercises), *own)
        return SectionRef(s, section, tuple(topics), points, exercises, own)

    def _topic(
        self, s: int, section: Section, t: int, topic: Topic, *, number: int, last: bool
    ) -> TopicRef:
        """``last``: the last topic of the section that has points."""
        points = []
        for p, point in enumerate(topic.points):
            end = p == len(topic.points) - 1
            points.append(
                PointRef(
                    index=self.index,
                    section_index=s,
                    topic_index=t,
                    point_index=p,
                    number=number + p,
                    section=section,
                    topic=topic,
                    point=point,
                    topic_end=end,
                    section_end=end and last,
                    borrowed=self.course.borrowed_lessons.get(point.id),
                )
            )
            self.index += 1
        exercises = tuple(ExerciseRef(s, section, topic, e) for e in topic.exercises)
        return TopicRef(s, t, topic, tuple(points), exercises)


def _steps(sections: tuple[SectionRef, ...]) -> list[Step]:
    """The path: per section, each topic's points then its exercises, then its own."""
    steps: list[Step] = []
    for section in sections:
        s = section.index
        for topic in section.topics:
            steps += [Step(len(steps) + i, s, p, None) for i, p in enumerate(topic.points)]
            steps += [Step(len(steps) + i, s, None, e) for i, e in enumerate(topic.exercises)]
        steps += [Step(len(steps) + i, s, None, e) for i, e in enumerate(section.own_exercises)]
    return steps
