"""Write course folders: YAML files with the schema header, and the schema copies.

A course written outside the package gets the two JSON Schemas in its own
``.schema/`` folder; its YAML files point at them relatively, so any editor with
the YAML language server autocompletes and underlines mistakes, offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from curriculum.schema import schema_file_name, schema_header, write_schemas

SCHEMA_FOLDER = ".schema"
COURSE_SCHEMA_REF = f"{SCHEMA_FOLDER}/{schema_file_name('course')}"
SECTION_SCHEMA_REF = f"../{SCHEMA_FOLDER}/{schema_file_name('section')}"


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line text as literal blocks so it reads as written."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any, schema_ref: str) -> str:
    """YAML text for ``data``, starting with the ``yaml-language-server`` schema line."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return schema_header(schema_ref) + body


def write_course_folder(out: Path, course: dict[str, Any], sections: list[dict[str, Any]]) -> Path:
    """Write ``course.yaml``, ``sections/NN-<id>.yaml`` and ``.schema/``; return course.yaml."""
    (out / "sections").mkdir(parents=True, exist_ok=True)
    write_schemas(out / SCHEMA_FOLDER)
    names = []
    for number, section in enumerate(sections, start=1):
        name = f"sections/{number:02d}-{section['id']}.yaml"
        (out / name).write_text(dump_yaml(section, SECTION_SCHEMA_REF), encoding="utf-8")
        names.append(name)
    course_file = out / "course.yaml"
    course_file.write_text(dump_yaml({**course, "sections": names}, COURSE_SCHEMA_REF), "utf-8")
    return course_file
