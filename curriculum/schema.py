"""The JSON Schema of the course format, generated from the models.

Copies ship in ``curriculum/schema/`` so editors can use them; ``tutor schema --write``
regenerates them, and a test keeps them equal to the generated ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from curriculum.model import CourseFile, SectionFile

Kind = Literal["course", "section"]
SCHEMA_DIR = Path(__file__).parent / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: Kind) -> dict[str, Any]:
    """The JSON Schema of ``course.yaml`` (``course``) or of a section file (``section``)."""
    model = CourseFile if kind == "course" else SectionFile
    schema = model.model_json_schema()
    title = "Tutor course (course.yaml)" if kind == "course" else "Tutor course section"
    return {"$schema": DIALECT, **schema, "title": title}


def schema_text(kind: Kind) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_file_name(kind: Kind) -> str:
    return f"{kind}.schema.json"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write both schemas into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in ("course", "section"):
        target = folder / schema_file_name(kind)
        target.write_text(schema_text(kind), encoding="utf-8")
        written.append(target)
    return written


def schema_header(ref: str) -> str:
    """The first line of every YAML file Tutor writes: editors read the schema from it."""
    return f"# yaml-language-server: $schema={ref}\n"
