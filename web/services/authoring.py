""" "New point" and "New exercise" (code, quiz or self-check): add a node to a topic in the
file that holds its section, through round-trip YAML (comments and layout kept, like
``tutor lesson freeze``), validated with the whole course before anything is written."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from curriculum import Problem
from curriculum.model import QuizQuestion
from curriculum.outline import TopicRef
from tutor.freeze import block_text, round_trip_yaml, section_file
from web.editor import save_file, validate_edit

MAX_FIELD = 20_000


class AuthoringError(Exception):
    """A message for the instructor filling the form."""


def point_node(*, point_id: str, title: str, brief: str) -> CommentedMap:
    node = CommentedMap()
    node["id"] = point_id.strip()
    node["title"] = block_text(title)
    if brief.strip():
        node["brief"] = block_text(brief)
    return node


def _exercise_node(*, exercise_id: str, kind: str, title: str, prompt: str) -> CommentedMap:
    """The keys every exercise has, in the order the course format lists them."""
    node = CommentedMap()
    node["id"] = block_text(exercise_id.strip())
    node["kind"] = kind
    node["title"] = block_text(title)
    node["prompt"] = block_text(prompt.replace("\r\n", "\n").strip())
    return node


def code_exercise_node(
    *, exercise_id: str, title: str, prompt: str, starter: str, solution: str, checks: str
) -> CommentedMap:
    node = _exercise_node(exercise_id=exercise_id, kind="code", title=title, prompt=prompt)
    for key, value in (("starter", starter), ("solution", solution), ("checks", checks)):
        node[key] = block_text(value.replace("\r\n", "\n") + "\n")
    return node


def quiz_exercise_node(
    *, exercise_id: str, title: str, prompt: str, questions: Sequence[QuizQuestion]
) -> CommentedMap:
    """A quiz as an author writes one: an option's ``correct`` only where true, and
    explanations only where given."""
    node = _exercise_node(exercise_id=exercise_id, kind="quiz", title=title, prompt=prompt)
    node["questions"] = CommentedSeq(_question_node(q) for q in questions)
    return node


def _question_node(question: QuizQuestion) -> CommentedMap:
    node = CommentedMap()
    node["id"] = question.id
    node["prompt"] = block_text(question.prompt)
    node["type"] = question.type
    if question.options:
        node["options"] = CommentedSeq()
        for option in question.options:
            entry = CommentedMap()
            entry["text"] = block_text(option.text)
            if option.correct:
                entry["correct"] = True
            if option.explanation:
                entry["explanation"] = block_text(option.explanation)
            node["options"].append(entry)
    if question.answers:
        node["answers"] = CommentedSeq(block_text(a) for a in question.answers)
    if question.explanation:
        node["explanation"] = block_text(question.explanation)
    return node


def self_check_node(
    *, exercise_id: str, title: str, prompt: str, rubric: Sequence[str], model_answer: str
) -> CommentedMap:
    node = _exercise_node(exercise_id=exercise_id, kind="self-check", title=title, prompt=prompt)
    node["rubric"] = CommentedSeq(block_text(item) for item in rubric)
    node["model_answer"] = block_text(model_answer.replace("\r\n", "\n").strip())
    return node


def add_to_topic(
    *, course_dir: Path, topic: TopicRef, key: str, node: CommentedMap
) -> tuple[str, str, list[Problem]]:
    """Append ``node`` to the topic's ``key`` list (``points`` or ``exercises``); answer
    the file (relative to the course), its new text, and the problems the course would
    have with it. The file is written only when there are none."""
    path, doc, section = section_file(course_dir / "course.yaml", topic.section_index)
    found = section["topics"][topic.index]
    if found.get("id") != topic.topic.id:
        raise AuthoringError("The course changed on disk: reload the page and try again.")
    if key not in found or found[key] is None:
        found[key] = CommentedSeq()
    found[key].append(node)
    original = path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    round_trip_yaml(original).dump(doc, buffer)
    name = str(path.relative_to(course_dir))
    text = buffer.getvalue()
    problems = validate_edit(course_dir, name, text)
    if not problems:
        save_file(course_dir, name, text)
    return name, text, problems


def line_of(text: str, node_id: str) -> int:
    """The line (1-based) of the last ``id: node_id`` in ``text``, or 0."""
    for number, line in reversed(list(enumerate(text.splitlines(), 1))):
        if line.strip().removeprefix("- ") == f"id: {node_id}":
            return number
    return 0
