"""Moving through a course point by point, on its outline (:mod:`curriculum.outline`):
a learner's position, its numbering, the next point, the SECTION/TOPIC/POINT spec.
"""

from __future__ import annotations

from curriculum.model import Course, Point, Section, Topic
from curriculum.outline import ExerciseRef, PointRef, Position


class BadPosition(ValueError):
    """A SECTION[/TOPIC[/POINT]] spec that names nothing in the course."""


def ref_at(course: Course, pos: Position) -> PointRef:
    """The outline's entry for ``pos`` (by its indices); IndexError if there is none."""
    ref = course.outline.at(pos.section, pos.topic, pos.point)
    if ref is None:
        raise IndexError(f"no point at {pos.section + 1}/{pos.topic + 1}/{pos.point + 1}")
    return ref


def position_at(course: Course, section: int, topic: int, point: int) -> Position:
    return ref_at(course, Position(section=section, topic=topic, point=point)).position


def first_position(course: Course, section: int = 0) -> Position:
    """The first point of ``section``, or of the next section that has points."""
    ref = course.outline.first_from(section)
    if ref is None:
        raise BadPosition(f"course {course.id!r} has no points from section {section + 1} on")
    return ref.position


def resolve(course: Course, pos: Position) -> Position:
    """Find ``pos`` in a (possibly edited) course: by ids first, else by clamped indices."""
    outline = course.outline
    ref = outline.point(pos.point_id)
    if ref is not None and (ref.section.id, ref.topic.id) == (pos.section_id, pos.topic_id):
        return ref.position
    section = min(pos.section, len(outline.sections) - 1)
    ref = outline.at(section, pos.topic, pos.point)
    return ref.position if ref is not None else first_position(course, section)


def section_of(course: Course, pos: Position) -> Section:
    return ref_at(course, pos).section


def topic_of(course: Course, pos: Position) -> Topic:
    return ref_at(course, pos).topic


def point_of(course: Course, pos: Position) -> Point:
    return ref_at(course, pos).point


def section_points(course: Course, section: int) -> list[Position]:
    """Every point of a section, in teaching order."""
    return [ref.position for ref in course.outline.section_points(section)]


def point_number(course: Course, pos: Position) -> tuple[int, int]:
    """(1-based number of the point within its section, number of points in the section)."""
    ref = ref_at(course, pos)
    return ref.number, len(course.outline.section_points(ref.section_index))


def next_in_section(course: Course, pos: Position) -> Position | None:
    """The point after ``pos`` in the same section, or None at the section's end."""
    ref = ref_at(course, pos)
    return None if ref.section_end else next_position(course, pos)


def next_position(course: Course, pos: Position) -> Position | None:
    """The point after ``pos`` anywhere in the course, or None at the course's end."""
    _, nxt = course.outline.neighbours(ref_at(course, pos))
    return nxt.position if nxt is not None else None


def at_section_end(course: Course, pos: Position) -> bool:
    return ref_at(course, pos).section_end


def practice_after(course: Course, pos: Position) -> tuple[ExerciseRef, ...]:
    """The exercises the learner's path (``Outline.steps``) takes right after the point
    at ``pos``, before the next point: its topic's, at the topic's end (and the
    section's own, at the section's end)."""
    outline = course.outline
    step = outline.step(ref_at(course, pos).point.id)
    found: list[ExerciseRef] = []
    while step is not None and (step := outline.step_after(step)) is not None:
        if step.exercise is None:
            break
        found.append(step.exercise)
    return tuple(found)


def _pick(kind: str, part: str, ids: list[str]) -> int:
    if part.isdigit() and 1 <= int(part) <= len(ids):
        return int(part) - 1
    if part in ids:
        return ids.index(part)
    choices = ", ".join(ids)
    raise BadPosition(f"no {kind} {part!r}: use a number 1-{len(ids)} or an id ({choices})")


def parse_position(course: Course, spec: str | None) -> Position:
    """``SECTION[/TOPIC[/POINT]]`` by 1-based numbers or ids; missing parts mean the first."""
    if not spec:
        return first_position(course)
    parts = spec.strip("/").split("/")
    if len(parts) > 3:
        raise BadPosition(f"{spec!r}: expected SECTION[/TOPIC[/POINT]]")
    outline = course.outline
    try:
        s = _pick("section", parts[0], [x.section.id for x in outline.sections])
    except BadPosition:
        # Ids are unique in a course, so a topic's or point's id alone names it too.
        found = _by_id(course, parts[0]) if len(parts) == 1 else None
        if found is None:
            raise
        return found
    if len(parts) == 1:
        return first_position(course, s)
    topics = outline.sections[s].topics
    topic = topics[_pick("topic", parts[1], [x.topic.id for x in topics])]
    if not topic.points:
        raise BadPosition(f"topic {topic.topic.id!r} has no points")
    p = _pick("point", parts[2], [x.point.id for x in topic.points]) if len(parts) == 3 else 0
    return topic.points[p].position


def _by_id(course: Course, ident: str) -> Position | None:
    """The position of the topic (its first point) or point with id ``ident``, if any."""
    topic = course.outline.topic(ident)
    if topic is not None and topic.points:
        return topic.points[0].position
    point = course.outline.point(ident)
    return point.position if point is not None else None
