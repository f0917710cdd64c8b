"""python-backend, whole course: every text renders as intended and states current facts.

The per-section tests guard structure and taught code; these guard the prose: lesson
text, exercise prompts, hints, mistake messages, quiz options and model answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt

from curriculum import resolve_course
from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise

COURSE = resolve_course("python-backend")
MARKDOWN = MarkdownIt("commonmark", {"html": False})

# Claims that were true once (or never) and must not come back.
OUTDATED = {
    r"actions/checkout@v[1-6]\b": "actions/checkout's current major is v7",
    r"setup-uv@v[1-9]\b": "astral-sh/setup-uv's current major is v10",
    r"poetry install --sync": "deprecated in Poetry 2; the command is `poetry sync`",
    r"uses:\s*\S+@(master|main)\b": "the course teaches pinned actions, never a branch",
    r"cannot be combined with `--workers`": "uvicorn ignores --workers under --reload (warns)",
    r"refuses the combination": "uvicorn ignores --workers under --reload (warns)",
    r"\bdocker-compose\s": "Compose v1 is end-of-life; the command is `docker compose`",
}


def texts() -> Iterator[tuple[str, str]]:
    """Every markdown text of the course with a readable location."""
    for section in COURSE.sections:
        yield f"{section.id}: summary", section.summary
        for topic in section.topics:
            for point in topic.points:
                lesson = point.lesson
                assert lesson is not None, point.id
                for part in ("explanation", "walkthrough", "notes", "summary", "try_it"):
                    yield f"{point.id}: {part}", getattr(lesson, part)
            for exercise in topic.exercises:
                yield f"{exercise.id}: prompt", exercise.prompt
                if isinstance(exercise, CodeExercise):
                    for i, hint in enumerate(exercise.hints):
                        yield f"{exercise.id}: hint {i + 1}", hint
                    for i, mistake in enumerate(exercise.mistakes):
                        yield f"{exercise.id}: mistake {i + 1}", mistake.message
                elif isinstance(exercise, QuizExercise):
                    for q in exercise.questions:
                        yield f"{exercise.id}/{q.id}: prompt", q.prompt
                        yield f"{exercise.id}/{q.id}: explanation", q.explanation
                        for i, option in enumerate(q.options):
                            yield f"{exercise.id}/{q.id}: option {i + 1}", option.text
                            yield f"{exercise.id}/{q.id}: why {i + 1}", option.explanation
                elif isinstance(exercise, SelfCheckExercise):
                    for i, item in enumerate(exercise.rubric):
                        yield f"{exercise.id}: rubric {i + 1}", item
                    yield f"{exercise.id}: model answer", exercise.model_answer


TEXTS = [(where, text) for where, text in texts() if text.strip()]


def test_the_course_has_its_texts() -> None:
    assert len(TEXTS) > 900


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_markdown_renders_as_written(where: str, text: str) -> None:
    fences = [line for line in text.splitlines() if re.match(r"\s*(```|~~~)", line)]
    assert len(fences) % 2 == 0, f"{where}: a code fence is not closed"
    for token in MARKDOWN.parse(text):
        assert token.type != "code_block", f"{where}: indented text renders as a code block"
        for child in token.children or []:
            if child.type != "text":
                continue
            assert not re.search(r"<[A-Za-z/!]", child.content), (
                f"{where}: raw HTML is not rendered: {child.content[:60]!r}"
            )
            assert "`" not in child.content, f"{where}: unbalanced backtick"


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_prose_states_current_facts(where: str, text: str) -> None:
    for pattern, why in OUTDATED.items():
        assert not re.search(pattern, text), f"{where}: {why}"


def test_taught_code_pins_current_actions() -> None:
    for section in COURSE.sections:
        for topic in section.topics:
            for point in topic.points:
                assert point.lesson is not None
                source = str(point.lesson.code.source)
                for pattern, why in OUTDATED.items():
                    assert not re.search(pattern, source), f"{point.id} example: {why}"
