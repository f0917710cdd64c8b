"""Read a course folder (or a single-file course) into a validated :class:`Course`.

Provisional implementation: the validator work replaces the internals with
located, complete error reporting while keeping this API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from curriculum.model import Course
from curriculum.problems import CourseInvalid, Problem


def _read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _resolve_files(node: Any, base: Path) -> Any:
    if isinstance(node, dict):
        if set(node) == {"file"} and isinstance(node["file"], str):
            return (base / node["file"]).read_text(encoding="utf-8")
        return {k: _resolve_files(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_files(v, base) for v in node]
    return node


def load_course(path: Path) -> Course:
    path = Path(path)
    course_file = path / "course.yaml" if path.is_dir() else path
    raw = _read_yaml(course_file)
    sections = []
    for entry in raw.get("sections", []):
        if isinstance(entry, str):
            section_path = course_file.parent / entry
            data = _resolve_files(_read_yaml(section_path), section_path.parent)
            data.pop("schema_version", None)
            sections.append(data)
        else:
            sections.append(_resolve_files(entry, course_file.parent))
    raw["sections"] = sections
    try:
        return Course.model_validate(raw)
    except ValidationError as exc:
        raise CourseInvalid(
            [Problem(course_file, 0, 0, f"{err['loc']}: {err['msg']}") for err in exc.errors()]
        ) from None
