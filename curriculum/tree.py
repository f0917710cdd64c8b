"""A course as a plain tree of ids and titles: what ``tutor show`` prints and the API serves."""

from __future__ import annotations

from typing import Any

from curriculum.model import Course
from curriculum.outline import ExerciseRef, PointRef, SectionRef, TopicRef


def course_tree(course: Course) -> dict[str, Any]:
    """Every node with its id; points say whether they have a lesson, exercises their kind.

    The one serialisation of the outline: ``tutor show --json`` prints it and the JSON API
    (``GET /api/courses/{course}``) serves it.
    """
    return {
        "id": course.id,
        "title": course.title,
        "kind": course.kind,
        "counts": counts(course),
        "sections": [_section(s) for s in course.outline.sections],
    }


def _section(section: SectionRef) -> dict[str, Any]:
    return {
        "number": section.number,
        "id": section.section.id,
        "title": section.section.title,
        "topics": [_topic(t) for t in section.topics],
        "exercises": [_exercise(e) for e in section.own_exercises],
    }


def _topic(topic: TopicRef) -> dict[str, Any]:
    return {
        "id": topic.topic.id,
        "title": topic.topic.title,
        "points": [_point(p) for p in topic.points],
        "exercises": [_exercise(e) for e in topic.exercises],
    }


def _point(ref: PointRef) -> dict[str, Any]:
    """``lesson`` is true for an authored lesson, its own or borrowed (``lesson_from``)."""
    own = ref.point.lesson
    borrowed = ref.borrowed
    return {
        "id": ref.point.id,
        "title": ref.point.title,
        "lesson": ref.lesson is not None,
        "exercise": own.exercise if own is not None else None,
        "lesson_from": None
        if borrowed is None
        else {
            "course": borrowed.course_id,
            "point": borrowed.point_id,
            "why": borrowed.why,
            "source": borrowed.source,
        },
    }


def _exercise(ref: ExerciseRef) -> dict[str, Any]:
    e = ref.exercise
    attached_to = f"topic {ref.topic.id}" if ref.topic is not None else f"section {ref.section.id}"
    return {"id": e.id, "kind": e.kind, "title": e.title, "attached_to": attached_to}


def counts(course: Course) -> dict[str, int]:
    outline = course.outline
    return {
        "sections": len(outline.sections),
        "topics": len(outline.topics),
        "points": len(outline.points),
        "lessons": sum(p.lesson is not None for p in outline.points),
        "exercises": len(outline.exercises),
    }


def render_tree(tree: dict[str, Any]) -> list[str]:
    """The tree as indented text lines."""
    c = tree["counts"]
    lines = [
        f"{tree['title']} [{tree['id']}] ({tree['kind']}): {c['sections']} sections, "
        f"{c['topics']} topics, {c['points']} points, {c['lessons']} lessons, "
        f"{c['exercises']} exercises"
    ]
    for section in tree["sections"]:
        lines.append(f"{section['number']}. {section['title']} [{section['id']}]")
        for topic in section["topics"]:
            lines.append(f"   {topic['title']} [{topic['id']}]")
            for point in topic["points"]:
                lent = point.get("lesson_from")
                mark = lent["source"] if lent else "lesson" if point["lesson"] else "no lesson"
                extra = f", practises {point['exercise']}" if point["exercise"] else ""
                lines.append(f"     - {point['title']} [{point['id']}] ({mark}{extra})")
            lines.extend(_exercise_lines(topic["exercises"], "     "))
        lines.extend(_exercise_lines(section["exercises"], "   "))
    return lines


def _exercise_lines(exercises: list[dict[str, Any]], indent: str) -> list[str]:
    return [
        f"{indent}* exercise {e['title']} [{e['id']}] ({e['kind']}, on {e['attached_to']})"
        for e in exercises
    ]
