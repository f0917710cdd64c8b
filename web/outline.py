"""A course as ordered lists the pages walk: points and exercises with their place."""

from __future__ import annotations

from dataclasses import dataclass

from curriculum import Course, Point, Section, Topic
from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise

AnyExercise = CodeExercise | QuizExercise | SelfCheckExercise


@dataclass(frozen=True)
class PointRef:
    index: int  # position in the whole course
    section_index: int
    section: Section
    topic: Topic
    point: Point


@dataclass(frozen=True)
class ExerciseRef:
    section_index: int
    section: Section
    topic: Topic | None
    exercise: AnyExercise


@dataclass(frozen=True)
class Outline:
    points: tuple[PointRef, ...]
    exercises: tuple[ExerciseRef, ...]

    def point(self, point_id: str) -> PointRef | None:
        return next((p for p in self.points if p.point.id == point_id), None)

    def exercise(self, exercise_id: str) -> ExerciseRef | None:
        return next((e for e in self.exercises if e.exercise.id == exercise_id), None)

    def section_points(self, section_index: int) -> list[PointRef]:
        return [p for p in self.points if p.section_index == section_index]

    def section_exercises(self, section_index: int) -> list[ExerciseRef]:
        return [e for e in self.exercises if e.section_index == section_index]

    def topic_exercises(self, topic_id: str) -> list[ExerciseRef]:
        return [e for e in self.exercises if e.topic is not None and e.topic.id == topic_id]

    def neighbours(self, ref: PointRef) -> tuple[PointRef | None, PointRef | None]:
        i = ref.index
        prev = self.points[i - 1] if i > 0 else None
        nxt = self.points[i + 1] if i + 1 < len(self.points) else None
        return prev, nxt

    def first_of_section(self, section_index: int) -> PointRef | None:
        return next((p for p in self.points if p.section_index == section_index), None)


def _build(course: Course) -> Outline:
    points: list[PointRef] = []
    exercises: list[ExerciseRef] = []
    for s, section in enumerate(course.sections):
        for topic in section.topics:
            for point in topic.points:
                points.append(PointRef(len(points), s, section, topic, point))
            exercises.extend(ExerciseRef(s, section, topic, ex) for ex in topic.exercises)
        exercises.extend(ExerciseRef(s, section, None, ex) for ex in section.exercises)
    return Outline(tuple(points), tuple(exercises))


_cache: dict[int, tuple[Course, Outline]] = {}


def outline_of(course: Course) -> Outline:
    """The outline of a loaded course (courses are immutable, so this is cached by identity)."""
    hit = _cache.get(id(course))
    if hit is not None and hit[0] is course:
        return hit[1]
    if len(_cache) > 64:
        _cache.clear()
    outline = _build(course)
    _cache[id(course)] = (course, outline)
    return outline
