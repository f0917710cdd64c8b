"""``tutor new --from COURSE``: an editable copy of a course folder, a bundled one say.

The copy gets its own ``.schema/`` folder and every YAML file's schema line is pointed
at it (the bundled courses point into the package); ``course.yaml`` gets the new id
and title through round-trip YAML, so its comments and layout stay as they were.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.util import load_yaml_guess_indent

from curriculum.schema import schema_file_name, schema_header, write_schemas
from curriculum.writer import SCHEMA_FOLDER

SCHEMA_LINE = "# yaml-language-server: $schema="


def copy_course(source: Path, out: Path, *, course_id: str, title: str = "") -> None:
    """Copy the course folder ``source`` (a valid course) to ``out`` (new or empty) as
    course ``course_id``."""
    if not (source / "course.yaml").is_file():
        raise ValueError(f"{source} is not a course folder: give the folder holding course.yaml")
    shutil.copytree(
        source,
        out,
        ignore=shutil.ignore_patterns("__pycache__", SCHEMA_FOLDER),
        dirs_exist_ok=True,
    )
    write_schemas(out / SCHEMA_FOLDER)
    for path in sorted([*out.rglob("*.yaml"), *out.rglob("*.yml")]):
        _point_at_schemas(path, out)
    _set_keys(out / "course.yaml", {"id": course_id, **({"title": title} if title else {})})


def _point_at_schemas(path: Path, out: Path) -> None:
    """Point the file's schema line, if it has one, at the copy's own ``.schema/``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return  # not a file of the course (the course validated): copied as it was
    if not text.startswith(SCHEMA_LINE):
        return
    name = schema_file_name("course" if path == out / "course.yaml" else "section")
    ref = os.path.relpath(str(out / SCHEMA_FOLDER / name), str(path.parent))
    _, _, rest = text.partition("\n")
    path.write_text(schema_header(Path(ref).as_posix()) + rest, encoding="utf-8")


def _set_keys(course_file: Path, values: dict[str, str]) -> None:
    """Set top-level keys of ``course.yaml``, keeping its comments and layout."""
    text = course_file.read_text(encoding="utf-8")
    _, indent, block_seq = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    offset = block_seq or 0
    sequence = indent or 2
    yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
    data = yaml.load(text)
    if all(data.get(key) == value for key, value in values.items()):
        return
    for key, value in values.items():
        data[key] = value
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    course_file.write_text(buffer.getvalue(), encoding="utf-8")
