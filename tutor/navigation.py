"""Walking a course point by point: positions, numbering, next point."""

from __future__ import annotations

from curriculum.model import Course, Point, Section, Topic
from tutor.state import Position


class BadPosition(ValueError):
    """A SECTION[/TOPIC[/POINT]] spec that names nothing in the course."""


def position_at(course: Course, section: int, topic: int, point: int) -> Position:
    sec = course.sections[section]
    top = sec.topics[topic]
    return Position(
        section=section,
        topic=topic,
        point=point,
        section_id=sec.id,
        topic_id=top.id,
        point_id=top.points[point].id,
    )


def first_position(course: Course, section: int = 0) -> Position:
    """The first point of ``section``, or of the next section that has points."""
    for s in range(section, len(course.sections)):
        for t, topic in enumerate(course.sections[s].topics):
            if topic.points:
                return position_at(course, s, t, 0)
    raise BadPosition(f"course {course.id!r} has no points from section {section + 1} on")


def resolve(course: Course, pos: Position) -> Position:
    """Find ``pos`` in a (possibly edited) course: by ids first, else by clamped indices."""
    for s, sec in enumerate(course.sections):
        for t, top in enumerate(sec.topics):
            for p, point in enumerate(top.points):
                if (sec.id, top.id, point.id) == (pos.section_id, pos.topic_id, pos.point_id):
                    return position_at(course, s, t, p)
    s = min(pos.section, len(course.sections) - 1)
    sec = course.sections[s]
    if pos.topic < len(sec.topics) and pos.point < len(sec.topics[pos.topic].points):
        return position_at(course, s, pos.topic, pos.point)
    return first_position(course, s)


def section_of(course: Course, pos: Position) -> Section:
    return course.sections[pos.section]


def topic_of(course: Course, pos: Position) -> Topic:
    return course.sections[pos.section].topics[pos.topic]


def point_of(course: Course, pos: Position) -> Point:
    return topic_of(course, pos).points[pos.point]


def section_points(course: Course, section: int) -> list[Position]:
    """Every point of a section, in teaching order."""
    sec = course.sections[section]
    return [
        position_at(course, section, t, p)
        for t, top in enumerate(sec.topics)
        for p in range(len(top.points))
    ]


def point_number(course: Course, pos: Position) -> tuple[int, int]:
    """(1-based number of the point within its section, number of points in the section)."""
    points = section_points(course, pos.section)
    keys = [(q.topic, q.point) for q in points]
    return keys.index((pos.topic, pos.point)) + 1, len(points)


def next_in_section(course: Course, pos: Position) -> Position | None:
    """The point after ``pos`` in the same section, or None at the section's end."""
    top = topic_of(course, pos)
    if pos.point + 1 < len(top.points):
        return position_at(course, pos.section, pos.topic, pos.point + 1)
    sec = section_of(course, pos)
    for t in range(pos.topic + 1, len(sec.topics)):
        if sec.topics[t].points:
            return position_at(course, pos.section, t, 0)
    return None


def next_position(course: Course, pos: Position) -> Position | None:
    """The point after ``pos`` anywhere in the course, or None at the course's end."""
    nxt = next_in_section(course, pos)
    if nxt is not None:
        return nxt
    for s in range(pos.section + 1, len(course.sections)):
        if section_points(course, s):
            return first_position(course, s)
    return None


def at_section_end(course: Course, pos: Position) -> bool:
    return next_in_section(course, pos) is None


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
    try:
        s = _pick("section", parts[0], [x.id for x in course.sections])
    except BadPosition:
        # Ids are unique in a course, so a topic's or point's id alone names it too.
        found = _by_id(course, parts[0]) if len(parts) == 1 else None
        if found is None:
            raise
        return found
    if len(parts) == 1:
        return first_position(course, s)
    topics = course.sections[s].topics
    t = _pick("topic", parts[1], [x.id for x in topics])
    if not topics[t].points:
        raise BadPosition(f"topic {topics[t].id!r} has no points")
    p = _pick("point", parts[2], [x.id for x in topics[t].points]) if len(parts) == 3 else 0
    return position_at(course, s, t, p)


def _by_id(course: Course, ident: str) -> Position | None:
    """The position of the topic (its first point) or point with id ``ident``, if any."""
    for s, section in enumerate(course.sections):
        for t, topic in enumerate(section.topics):
            if topic.id == ident and topic.points:
                return position_at(course, s, t, 0)
            for p, point in enumerate(topic.points):
                if point.id == ident:
                    return position_at(course, s, t, p)
    return None
