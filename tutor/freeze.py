"""Write a generated lesson into the course YAML as an authored lesson (``tutor freeze``).

Round-trip YAML (ruamel.yaml) keeps the file's comments, including the
``# yaml-language-server`` line, and its key order; the lesson gets a comment saying
it was generated and needs review.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from curriculum.model import Lesson
from curriculum.outline import Position
from curriculum.yamlsource import IMPLICIT_RESOLVERS


class FreezeError(Exception):
    """A clear reason the lesson could not be written."""


def round_trip_yaml(text: str = "") -> YAML:
    """A round-trip YAML that writes with the indentation ``text`` already uses."""
    sequence, offset = 4, 2
    if text:
        _, guessed, block_seq = load_yaml_guess_indent(text)
        offset = block_seq or 0
        sequence = guessed or 2
    # ruamel's guess is the column of an item's keys relative to its list's key:
    # "  - id:" (offset 2) gives 4, so mappings themselves indent by 4 - 2.
    mapping = max(sequence - offset, 2)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=max(sequence, mapping + offset), offset=offset)
    return yaml


def block_text(value: str) -> str:
    """``value`` as a scalar that the course loader reads back as this text: multi-line
    text as a literal block; a line that PyYAML (YAML 1.1, unlike ruamel's 1.2) would read
    as another type (``yes``, ``off``, ``12:30``) in quotes."""
    value = value.strip("\n")
    scalar: str = value
    if "\n" in value:
        scalar = LiteralScalarString(value + "\n")
    elif any(regexp.match(value) for _, regexp in IMPLICIT_RESOLVERS.get(value[:1], [])):
        scalar = SingleQuotedScalarString(value)
    return scalar


def lesson_node(lesson: Lesson) -> CommentedMap:
    source = lesson.code.source if isinstance(lesson.code.source, str) else ""
    code = CommentedMap()
    if lesson.code.language != "python":
        code["language"] = lesson.code.language
    code["source"] = LiteralScalarString(source.rstrip("\n") + "\n")
    if lesson.code.not_runnable:
        code["not_runnable"] = lesson.code.not_runnable
    node = CommentedMap()
    node["explanation"] = block_text(lesson.explanation)
    node["code"] = code
    for key in ("walkthrough", "notes", "summary", "try_it"):
        node[key] = block_text(getattr(lesson, key))
    return node


def section_file(course_file: Path, index: int) -> tuple[Path, Any, Any]:
    """(file holding the section, its loaded document, the section mapping)."""
    text = course_file.read_text(encoding="utf-8")
    doc = round_trip_yaml(text).load(text)
    entry = doc["sections"][index]
    if isinstance(entry, str):
        path = course_file.parent / entry
        section_text = path.read_text(encoding="utf-8")
        section_doc = round_trip_yaml(section_text).load(section_text)
        return path, section_doc, section_doc
    return course_file, doc, entry


def freeze_lesson(
    course_dir: Path, pos: Position, lesson: Lesson, note: str, *, force: bool = False
) -> Path:
    """Put ``lesson`` on the point at ``pos``; return the file written."""
    course_file = course_dir / "course.yaml" if course_dir.is_dir() else course_dir
    path, doc, section = section_file(course_file, pos.section)
    point = section["topics"][pos.topic]["points"][pos.point]
    if point.get("id") != pos.point_id:
        raise FreezeError(f"{path}: expected point {pos.point_id!r}, found {point.get('id')!r}")
    if "lesson_from" in point:
        raise FreezeError(
            f"point {pos.point_id!r} borrows its lesson (lesson_from): remove that first"
        )
    if "lesson" in point and not force:
        raise FreezeError(f"point {pos.point_id!r} already has a lesson (use --force to replace)")
    point["lesson"] = lesson_node(lesson)
    point.yaml_set_comment_before_after_key("lesson", before=note, indent=_indent(point))
    yaml = round_trip_yaml(path.read_text(encoding="utf-8"))
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    try:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as exc:
        raise FreezeError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _indent(node: CommentedMap) -> int:
    """The column of the keys of ``node`` (for the comment above the new key)."""
    lc = getattr(node, "lc", None)
    return int(lc.col) if lc is not None and lc.col is not None else 0
