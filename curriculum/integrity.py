"""Course-wide rules that no single model can enforce: ids, references, empty nodes, files.

They run on the plain data of every file (so they report even when the models
find other problems too), each item carrying the file it came from.
"""

from __future__ import annotations

import difflib
import os
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curriculum.model import SUPPORTED_SCHEMA_VERSIONS
from curriculum.problems import Problem
from curriculum.yamlsource import YamlDoc, load_yaml, node_at, read_text

Path_ = tuple[Any, ...]
Reader = Callable[[Path, list[Problem]], YamlDoc | None]
"""Reads one YAML file of the course: :func:`load_yaml` or a faster equivalent."""


@dataclass
class SectionPlace:
    """A section's data, the file it is in, and where in that file."""

    doc: YamlDoc
    path: Path_


@dataclass
class CourseIntegrity:
    """Collects ids and references across the files of one course; reports broken rules."""

    root: Path  # the course folder, resolved
    read: Reader = load_yaml
    stop_at_first_problem: bool = False  # when only whether the course is valid matters
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, tuple[str, YamlDoc, Path_]] = field(default_factory=dict)
    exercise_ids: set[str] = field(default_factory=set)
    lesson_refs: list[tuple[str, YamlDoc, Path_]] = field(default_factory=list)
    lesson_from: dict[str, tuple[YamlDoc, Path_]] = field(default_factory=dict)  # by point id
    texts: dict[tuple[Path, Path_], str] = field(default_factory=dict)
    real_dirs: dict[str, str] = field(default_factory=dict)  # see :func:`inside`

    def schema_version(self, doc: YamlDoc) -> None:
        data = doc.data
        version = data.get("schema_version") if isinstance(data, dict) else None
        if isinstance(version, int) and version not in SUPPORTED_SCHEMA_VERSIONS:
            supported = ", ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
            self.problems.append(
                doc.problem(
                    node_at(doc.node, ("schema_version",)),
                    f"unsupported schema_version {version} (this Tutor reads {supported})",
                )
            )

    def templates(self, doc: YamlDoc) -> None:
        """The prompt templates name only the placeholders Tutor fills in."""
        data = doc.data
        for key, allowed in TEMPLATE_FIELDS.items():
            value = data.get(key) if isinstance(data, dict) else None
            if isinstance(value, str):
                problem = template_problem(value, allowed)
                if problem:
                    node = node_at(doc.node, (key,))
                    self.problems.append(doc.problem(node, f"{key}: {problem}"))

    def section(self, place: SectionPlace) -> None:
        data = _get(place.doc.data, place.path)
        if not isinstance(data, dict):
            return
        self._id(place.doc, place.path, data, "section")
        self._items(place.doc, place.path, data, "exercises", self._exercise)
        topics = data.get("topics")
        if topics == []:
            self._empty(place.doc, (*place.path, "topics"), "section", data, "topics")
        self._items(place.doc, place.path, data, "topics", self._topic)

    def finish(self) -> None:
        """Rules that need every file seen: references from lessons to exercises."""
        for ref, doc, path in self.lesson_refs:
            if ref not in self.exercise_ids:
                self.problems.append(
                    doc.problem(
                        node_at(doc.node, path),
                        f"lesson.exercise: no exercise with id '{ref}' in this course",
                    )
                )

    def _items(self, doc: YamlDoc, path: Path_, data: dict[str, Any], key: str, check: Any) -> None:
        items = data.get(key)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    check(doc, (*path, key, index), item)

    def _topic(self, doc: YamlDoc, path: Path_, data: dict[str, Any]) -> None:
        self._id(doc, path, data, "topic")
        if data.get("points") == []:
            self._empty(doc, (*path, "points"), "topic", data, "points")
        self._items(doc, path, data, "points", self._point)
        self._items(doc, path, data, "exercises", self._exercise)

    def _point(self, doc: YamlDoc, path: Path_, data: dict[str, Any]) -> None:
        self._id(doc, path, data, "point")
        if isinstance(data.get("id"), str) and isinstance(data.get("lesson_from"), dict):
            self.lesson_from[data["id"]] = (doc, (*path, "lesson_from"))
        lesson = data.get("lesson")
        if isinstance(lesson, dict):
            ref = lesson.get("exercise")
            if isinstance(ref, str):
                self.lesson_refs.append((ref, doc, (*path, "lesson", "exercise")))
            self.files(doc, (*path, "lesson"), lesson)

    def _exercise(self, doc: YamlDoc, path: Path_, data: dict[str, Any]) -> None:
        self._id(doc, path, data, "exercise")
        if isinstance(data.get("id"), str):
            self.exercise_ids.add(data["id"])
        questions = data.get("questions")
        if isinstance(questions, list):
            seen: dict[str, int] = {}
            for index, question in enumerate(questions):
                qid = question.get("id") if isinstance(question, dict) else None
                if not isinstance(qid, str):
                    continue
                if qid in seen:
                    first = node_at(doc.node, (*path, "questions", seen[qid], "id"))
                    self.problems.append(
                        doc.problem(
                            node_at(doc.node, (*path, "questions", index, "id")),
                            f"duplicate question id '{qid}' in this quiz "
                            f"(first at line {first.start_mark.line + 1})",
                        )
                    )
                else:
                    seen[qid] = index
        self.files(doc, path, data)

    def _id(self, doc: YamlDoc, path: Path_, data: dict[str, Any], what: str) -> None:
        ident = data.get("id")
        if not isinstance(ident, str):
            return
        here = (*path, "id")
        if ident in self.ids:
            other_what, other_doc, other_path = self.ids[ident]
            other = other_doc.problem(node_at(other_doc.node, other_path), "")
            self.problems.append(
                doc.problem(
                    node_at(doc.node, here),
                    f"duplicate id '{ident}': the {what} here and the {other_what} at "
                    f"{other.file}:{other.line}:{other.column} (ids are unique in a course)",
                )
            )
        else:
            self.ids[ident] = (what, doc, here)

    def _empty(self, doc: YamlDoc, path: Path_, what: str, data: dict[str, Any], key: str) -> None:
        name = data.get("id", "")
        self.problems.append(
            doc.problem(node_at(doc.node, path), f"{what} '{name}' has no {key}: add at least one")
        )

    def files(self, doc: YamlDoc, path: Path_, data: Any) -> None:
        """Read every ``{file: PATH}`` below ``data``; remember the texts by place."""
        if isinstance(data, dict):
            if len(data) == 1 and isinstance(data.get("file"), str):
                self._file(doc, path, data["file"])
                return
            for key, value in data.items():
                self.files(doc, (*path, key), value)
        elif isinstance(data, list):
            for index, value in enumerate(data):
                self.files(doc, (*path, index), value)

    def _file(self, doc: YamlDoc, path: Path_, name: str) -> None:
        target = inside(self.root, doc.path.parent, name, self.real_dirs)
        found: list[Problem] = []
        if target is None:
            message = f"file '{name}' is outside the course folder: refused"
        elif not target.is_file():
            message = f"file not found: '{name}' (looked for {target})"
        else:
            text = read_text(target, found, "referenced file")
            if text is not None:
                self.texts[(doc.path, path)] = text
                return
            message = "; ".join(f"'{name}': {problem.message}" for problem in found)
        node = node_at(doc.node, (*path, "file"))
        self.problems.append(doc.problem(node, message))


TEMPLATE_FIELDS = {
    "continue_prompt": ("number", "title"),
    "resume_prompt": ("point", "number", "title"),
}


def template_problem(template: str, allowed: tuple[str, ...]) -> str | None:
    """What is wrong with a prompt template, or ``None``: only ``{name}`` of ``allowed``."""
    names = ", ".join("{" + name + "}" for name in allowed)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        return f"invalid template: {exc} (write {{{{ and }}}} for literal braces)"
    for name in fields:
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            return f"unknown placeholder {{{name}}}{hint}; the placeholders are {names}"
    return None


def inside(
    root: Path, base: Path, name: str, real_dirs: dict[str, str] | None = None
) -> Path | None:
    """``base / name`` if it stays inside ``root`` (resolved), else ``None``; symlinks followed.

    ``real_dirs`` caches resolved folders across calls (a course's section files share
    one folder): then only the file itself is checked for being a symlink.
    """
    target = base / name
    text = str(target)
    folder, leaf = os.path.split(text)
    if real_dirs is None or leaf in ("", ".", "..") or target.is_symlink():
        real = os.path.realpath(text)
    else:
        real_folder = real_dirs.get(folder)
        if real_folder is None:
            real_folder = real_dirs[folder] = os.path.realpath(folder)
        real = real_folder.rstrip(os.sep) + os.sep + leaf
    top = str(root)
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        return None
    return target


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data
