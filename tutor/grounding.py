"""What a question is answered from: the lesson the learner is reading and course passages.

``grounding(course, position, question, reading=...)`` is the text put before an answer's
task line: the current point's lesson (authored; or ``reading``, a cached or generated
lesson the caller has), capped, then the course passages most relevant to the question
(:func:`tutor.retrieve.find_passages`, the current point and topic boosted), each with
where it comes from. Only course text goes here; the question itself stays in the
learner's tags. A pure function of its inputs.
"""

from __future__ import annotations

from curriculum.model import Course
from curriculum.outline import Position
from tutor import navigation as nav
from tutor.lesson_parse import lesson_markdown
from tutor.retrieve import find_passages

MAX_LESSON_CHARS = 6000
PASSAGES = 3


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[…lesson truncated]"


def grounding(course: Course, position: Position, question: str, *, reading: str = "") -> str:
    """The lesson at ``position`` and the passages for ``question``, as one text ("" if none)."""
    ref = nav.ref_at(course, position)
    lesson = lesson_markdown(ref.lesson) if ref.lesson is not None else reading.strip()
    parts: list[str] = []
    if lesson:
        parts.append(
            f"The lesson the learner is reading (“{ref.point.title}”):\n\n"
            f"{_cap(lesson, MAX_LESSON_CHARS)}"
        )
    found = [
        p
        for p in find_passages(course, question, at=position, limit=PASSAGES + 2)
        if p.text not in lesson
    ][:PASSAGES]
    if found:
        lines = []
        for n, p in enumerate(found, 1):
            where = nav.ref_at(course, p.position)
            lines.append(
                f"[{n}] Section {where.section_index + 1} › {where.topic.title} › {p.title}:\n"
                f"{p.text}"
            )
        parts.append(
            "Passages of the course that may help (cite the point by name if you use one):\n\n"
            + "\n\n".join(lines)
        )
    return "\n\n".join(parts)
