"""A course as a plain tree of ids and titles: what ``tutor show`` prints."""

from __future__ import annotations

from typing import Any

from curriculum.model import Course, Exercise


def _exercises(exercises: list[Exercise], attached_to: str) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "kind": e.kind, "title": e.title, "attached_to": attached_to}
        for e in exercises
    ]


def course_tree(course: Course) -> dict[str, Any]:
    """Every node with its id; points say whether they have a lesson, exercises their kind."""
    sections = []
    for number, section in enumerate(course.sections, start=1):
        topics = []
        for topic in section.topics:
            points = [
                {
                    "id": p.id,
                    "title": p.title,
                    "lesson": p.lesson is not None,
                    "exercise": p.lesson.exercise if p.lesson is not None else None,
                }
                for p in topic.points
            ]
            topics.append(
                {
                    "id": topic.id,
                    "title": topic.title,
                    "points": points,
                    "exercises": _exercises(topic.exercises, f"topic {topic.id}"),
                }
            )
        sections.append(
            {
                "number": number,
                "id": section.id,
                "title": section.title,
                "topics": topics,
                "exercises": _exercises(section.exercises, f"section {section.id}"),
            }
        )
    return {
        "id": course.id,
        "title": course.title,
        "kind": course.kind,
        "counts": counts(course),
        "sections": sections,
    }


def counts(course: Course) -> dict[str, int]:
    topics = [t for s in course.sections for t in s.topics]
    points = [p for t in topics for p in t.points]
    exercises = sum(len(s.exercises) for s in course.sections) + sum(
        len(t.exercises) for t in topics
    )
    return {
        "sections": len(course.sections),
        "topics": len(topics),
        "points": len(points),
        "lessons": sum(p.lesson is not None for p in points),
        "exercises": exercises,
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
                mark = "lesson" if point["lesson"] else "no lesson"
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
