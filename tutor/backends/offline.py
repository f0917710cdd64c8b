"""The default backend when no model is configured: the course itself, nothing invented."""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator

from curriculum.model import Course
from tutor import navigation as nav
from tutor.backends.base import ExerciseHelp, ModelRequest
from tutor.events import BackendEvent, Delta, Passage, Passages, PromptCopy
from tutor.flow import Answer
from tutor.prompt import render_text

NO_MODEL = "No model is configured (set `TUTOR_MODEL`, see docs/settings.md)"
_WORD = re.compile(r"[a-z0-9_]+")
STOPWORDS = frozenset(
    {
        "the",
        "and",
        "for",
        "are",
        "but",
        "not",
        "you",
        "your",
        "with",
        "what",
        "why",
        "how",
        "when",
        "where",
        "which",
        "who",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "then",
        "than",
        "into",
        "from",
        "about",
        "have",
        "has",
        "was",
        "were",
        "will",
        "just",
        "like",
        "use",
        "using",
        "used",
        "get",
        "make",
        "its",
        "it's",
    }
)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str) -> set[str]:
    """Content words of ``text``, lowercased, plural ``s`` dropped (a deterministic key)."""
    found = _WORD.findall(text.lower())
    return {_stem(w) for w in found if len(w) >= 3 and w not in STOPWORDS}


def find_passages(course: Course, question: str, limit: int = 3) -> list[Passage]:
    """Paragraphs of the course that share the most words with ``question``."""
    wanted = words(question)
    found: list[tuple[int, int, Passage]] = []
    for order, ref in enumerate(course.outline.points):
        lesson = ref.lesson
        paragraphs = [ref.point.title] if lesson is None else []
        if lesson is not None:
            for part in (lesson.explanation, lesson.notes, lesson.summary):
                paragraphs += [x.strip() for x in part.split("\n\n") if x.strip()]
        title_words = words(ref.point.title)
        for text in paragraphs:
            score = len(wanted & words(text)) + len(wanted & title_words)
            if score:
                passage = Passage(
                    position=ref.position, title=ref.point.title, text=text, score=score
                )
                found.append((-score, order, passage))
    found.sort(key=lambda item: (item[0], item[1]))
    return [p for _, _, p in found[:limit]]


_SHORTCUT_NAMES = {
    "shorter": "a shorter version",
    "another_example": "another example",
    "deeper": "a deeper version",
    "quiz_me": "a quiz",
}


def _why_prompt(variant: str) -> str:
    """Why the learner gets a prompt instead of a lesson (offline, a point or a shortcut)."""
    if variant in _SHORTCUT_NAMES:
        return f"so I can't write {_SHORTCUT_NAMES[variant]} of this point myself"
    return "and this point has no written lesson yet"


class OfflineBackend:
    """Points without a lesson get the exact prompt; questions get matching passages."""

    model = "offline"
    generates = False

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        course, task = request.course, request.task
        if isinstance(task, ExerciseHelp):
            yield Delta(text=f"{NO_MODEL}, so I can't write a new hint for this exercise.\n")
            return
        if isinstance(task, Answer):
            for event in self._answer(course, task.question):
                yield event
            return
        ref = nav.ref_at(course, task.position)
        text = (
            f"**{ref.point.title}**\n\n"
            f"Section {ref.section_index + 1} ({ref.section.title}), topic “{ref.topic.title}”, "
            f"point {task.number} of {task.total}.\n\n"
            f"{NO_MODEL}, {_why_prompt(task.variant)}. "
            "Here is the exact prompt the tutor would send: paste it into any assistant.\n"
        )
        yield Delta(text=text)
        yield PromptCopy(text=render_text(request.messages), messages=request.messages)

    def _answer(self, course: Course, question: str) -> list[BackendEvent]:
        passages = find_passages(course, question)
        if not passages:
            return [
                Delta(
                    text=f"{NO_MODEL}, so I can't answer free questions, and no "
                    "passage of the course matches your question's words.\n"
                )
            ]
        lines = [
            f"{NO_MODEL}, so I can't answer free questions. "
            "These passages of the course match your question's words:\n"
        ]
        for p in passages:
            lines.append(f"- **{p.title}** (Section {p.position.section + 1}): {p.text}")
        return [Delta(text="\n".join(lines) + "\n"), Passages(items=passages)]
