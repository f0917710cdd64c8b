"""Read a course folder (or a single-file course) into a validated :class:`Course`.

Every file is parsed safely, validated against its model, and checked course-wide;
every problem found is collected, and :class:`CourseInvalid` carries them all.
On success every ``{file: PATH}`` is replaced by the text of that file, so
consumers read every ``Source`` field as ``str``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from curriculum.borrowing import Library, borrow_lessons
from curriculum.fastyaml import load_yaml_fast
from curriculum.integrity import CourseIntegrity, Reader, SectionPlace, inside
from curriculum.messages import problems_from_errors
from curriculum.model import Course, CourseFile, FileRef, Section, SectionFile
from curriculum.problems import CourseInvalid, Problem
from curriculum.yamlsource import YamlDoc, load_yaml, node_at

COURSE_FILE = "course.yaml"


def course_file_of(path: Path) -> Path:
    """The ``course.yaml`` of a folder, or the path itself for a single-file course."""
    return path / COURSE_FILE if path.is_dir() else path


def load_course(
    path: Path, *, fast: bool = True, library: Library | None = None, borrow: bool = True
) -> Course:
    """Load and validate the course at ``path``; raise :class:`CourseInvalid` with every problem.

    A valid course is read with the fast reader wherever it can vouch for a file
    (:mod:`curriculum.fastyaml`).  An invalid one is read again with the reference
    reader alone, so every problem is reported exactly as that reader finds it.
    ``fast=False`` uses the reference reader from the start (to compare the two).

    Each ``lesson_from`` is resolved in ``library`` (the bundled courses when None);
    ``borrow=False`` leaves them unresolved (to load a course that only lends lessons).
    """
    lending = _Lending(library) if borrow else None
    with _gc_paused():
        if fast:
            try:
                return _load(Path(path), load_yaml_fast, lending)
            except CourseInvalid:
                pass
        return _load(Path(path), load_yaml, lending)


class _Lending:
    """The library ``lesson_from`` references are resolved in, opened only when needed."""

    def __init__(self, library: Library | None) -> None:
        self._library = library

    def library(self) -> Library:
        if self._library is None:
            from curriculum.registry import Catalogue  # the registry loads courses with this

            self._library = Catalogue.bundled()
        return self._library


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading allocates many small objects that all stay alive until it ends: the cyclic
    garbage collector would rescan them again and again (it more than doubles the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(path: Path, read: Reader, lending: _Lending | None) -> Course:
    course_file = course_file_of(path)
    root = course_file.parent.resolve()
    rules = CourseIntegrity(root=root, read=read, stop_at_first_problem=read is load_yaml_fast)
    if not course_file.exists():
        message = (
            f"no {COURSE_FILE} in this folder (create a course with `tutor new DIR`)"
            if course_file.parent.is_dir() and course_file.name == COURSE_FILE
            else "no such course file or folder"
        )
        raise CourseInvalid([Problem(course_file, 0, 0, message)])
    doc = read(course_file, rules.problems)
    if doc is None:
        raise CourseInvalid(rules.problems)
    if not isinstance(doc.data, dict):
        rules.problems.append(doc.problem(doc.node, "expected a mapping at the top of the file"))
        raise CourseInvalid(rules.problems)
    if "topics" in doc.data and "sections" not in doc.data:
        message = (
            "this is a section file, not a course: give the course folder (or the "
            f"{COURSE_FILE} that lists this file)"
        )
        raise CourseInvalid([doc.problem(doc.node, message)])
    rules.schema_version(doc)
    rules.templates(doc)
    course = _validate(doc, CourseFile, rules.problems)
    sections = _sections(doc, rules)
    rules.finish()
    problems = _ordered(course_file, _dedupe(rules.problems))
    if problems or course is None or None in sections:
        raise CourseInvalid(problems or [doc.problem(None, "invalid course")])
    fields = {name: getattr(course, name) for name in CourseFile.model_fields if name != "sections"}
    loaded = Course.model_construct(**fields, sections=[s for s in sections if s is not None])
    if rules.lesson_from and lending is not None:
        borrowed, problems = borrow_lessons(loaded, rules.lesson_from, lending.library())
        if problems:
            raise CourseInvalid(_ordered(course_file, problems))
        loaded = loaded.model_copy(update={"borrowed_lessons": borrowed})
    _ = loaded.outline  # built once, here, and kept with the course
    return loaded


def _validate(doc: YamlDoc, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from_errors(doc, model, exc.errors()))
        return None


def _sections(doc: YamlDoc, rules: CourseIntegrity) -> list[Section | None]:
    entries = doc.data.get("sections")
    if not isinstance(entries, list):
        return []
    if not entries:
        rules.problems.append(
            doc.problem(node_at(doc.node, ("sections",)), "the course has no sections")
        )
    result: list[Section | None] = []
    listed: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if rules.stop_at_first_problem and rules.problems:
            break  # the course is invalid: the caller reads it again to report everything
        if isinstance(entry, dict):
            rules.section(SectionPlace(doc, ("sections", index)))
            result.append(_inline_section(doc, entry, ("sections", index), rules))
        elif isinstance(entry, str) and os.path.normpath(entry) in listed:
            first = node_at(doc.node, ("sections", listed[os.path.normpath(entry)]))
            message = (
                f"section file '{entry}' is listed twice (first at line "
                f"{first.start_mark.line + 1}): list each section once"
            )
            rules.problems.append(doc.problem(node_at(doc.node, ("sections", index)), message))
            result.append(None)
        elif isinstance(entry, str):
            listed[os.path.normpath(entry)] = index
            result.append(_section_file(doc, entry, ("sections", index), rules))
        else:
            result.append(None)
    return result


def _inline_section(
    doc: YamlDoc, data: dict[str, Any], path: tuple[Any, ...], rules: CourseIntegrity
) -> Section | None:
    try:
        section = Section.model_validate(data)
    except ValidationError:
        return None  # already reported by the course model
    return _resolve_files(section, doc, path, rules)


def _section_file(
    doc: YamlDoc, name: str, path: tuple[Any, ...], rules: CourseIntegrity
) -> Section | None:
    target = inside(rules.root, doc.path.parent, name, rules.real_dirs)
    if target is None:
        message = f"section file '{name}' is outside the course folder: refused"
        rules.problems.append(doc.problem(node_at(doc.node, path), message))
        return None
    if not target.is_file():
        found = "is a folder, not a file" if target.is_dir() else "not found"
        message = f"section file {found}: '{name}'"
        rules.problems.append(doc.problem(node_at(doc.node, path), message))
        return None
    section_doc = rules.read(target, rules.problems)
    if section_doc is None:
        return None
    if not isinstance(section_doc.data, dict):
        rules.problems.append(
            section_doc.problem(section_doc.node, "expected a mapping at the top of the file")
        )
        return None
    rules.schema_version(section_doc)
    rules.section(SectionPlace(section_doc, ()))
    section_file = _validate(section_doc, SectionFile, rules.problems)
    if section_file is None:
        return None
    fields = {key: getattr(section_file, key) for key in Section.model_fields}
    section = Section.model_construct(**fields)
    return _resolve_files(section, section_doc, (), rules)


def _resolve_files(
    section: Section, doc: YamlDoc, path: tuple[Any, ...], rules: CourseIntegrity
) -> Section | None:
    texts = {p: t for (f, p), t in rules.texts.items() if f == doc.path}
    if not texts:
        return section
    resolved = _replace(section, path, texts)
    return resolved if isinstance(resolved, Section) else None


def _replace(value: Any, path: tuple[Any, ...], texts: dict[tuple[Any, ...], str]) -> Any:
    """Rebuild ``value`` with every :class:`FileRef` replaced by its text."""
    if isinstance(value, FileRef):
        return texts.get(path, value)
    if isinstance(value, BaseModel):
        update = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _replace(old, (*path, name), texts)
            if new is not old:
                update[name] = new
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        items = [_replace(v, (*path, i), texts) for i, v in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        mapping = {k: _replace(v, (*path, k), texts) for k, v in value.items()}
        return mapping if any(mapping[k] is not value[k] for k in value) else value
    return value


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """A value refused by the YAML reader is not reported again as a wrong type."""
    refused = {
        (p.file, p.line, p.column)
        for p in problems
        if p.message.startswith(("tag '", "unsupported tag"))
    }
    result = []
    for problem in problems:
        key = (problem.file, problem.line, problem.column)
        if key in refused and not problem.message.startswith(("tag '", "unsupported tag")):
            continue
        result.append(problem)
    return result


def _ordered(course_file: Path, problems: list[Problem]) -> list[Problem]:
    """File by file (the course file, then in the order met), then by line and column."""
    order: dict[Path, int] = {course_file: 0}
    for problem in problems:
        order.setdefault(problem.file, len(order))
    return sorted(problems, key=lambda p: (order[p.file], p.line, p.column))
