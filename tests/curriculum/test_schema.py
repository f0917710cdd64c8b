"""The JSON Schema: generated from the models, shipped copies equal, and it agrees with them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import yaml

from curriculum import bundled_course_dirs
from curriculum.model import CourseFile, SectionFile
from curriculum.scaffold import scaffold
from curriculum.schema import SCHEMA_DIR, json_schema, schema_text


def test_shipped_copies_equal_the_generated_schemas() -> None:
    for kind in ("course", "section"):
        shipped = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert shipped == schema_text(kind), f"run `tutor schema --write` ({kind})"


def test_schemas_describe_the_models() -> None:
    course, section = json_schema("course"), json_schema("section")
    assert set(course["properties"]) == set(CourseFile.model_fields)
    assert set(section["properties"]) == set(SectionFile.model_fields)
    assert course["additionalProperties"] is False
    jsonschema.Draft202012Validator.check_schema(course)
    jsonschema.Draft202012Validator.check_schema(section)


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _check_folder(folder: Path) -> None:
    course_validator = jsonschema.Draft202012Validator(json_schema("course"))
    section_validator = jsonschema.Draft202012Validator(json_schema("section"))
    course = _yaml(folder / "course.yaml")
    assert list(course_validator.iter_errors(course)) == []
    for entry in course["sections"]:
        if isinstance(entry, str):
            errors = list(section_validator.iter_errors(_yaml(folder / entry)))
            assert errors == [], (folder / entry, errors[0].message)


def test_bundled_courses_satisfy_the_schema() -> None:
    for folder in bundled_course_dirs().values():
        _check_folder(folder)


def test_schema_and_models_reject_the_same_mistakes() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("section"))
    bad = {"id": "Not A Slug", "title": "T", "topics": [{"id": "t", "title": "T", "points": []}]}
    assert not validator.is_valid(bad)
    extra = {"id": "s", "title": "T", "topics": [], "titel": "x"}
    assert not validator.is_valid(extra)


def test_scaffolded_course_points_editors_at_its_schema_copy(tmp_path: Path) -> None:
    scaffold(tmp_path, "demo", "Demo")
    first = (tmp_path / "course.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=.schema/course.schema.json"
    section = (tmp_path / "sections/01-first-steps.yaml").read_text(encoding="utf-8")
    assert section.startswith("# yaml-language-server: $schema=../.schema/section.schema.json\n")
    copy = json.loads((tmp_path / ".schema/section.schema.json").read_text(encoding="utf-8"))
    assert copy == json_schema("section")
    _check_folder(tmp_path)


def test_write_schemas_regenerates_both_copies(tmp_path: Path) -> None:
    from curriculum.schema import write_schemas

    written = write_schemas(tmp_path)
    assert [p.name for p in written] == ["course.schema.json", "section.schema.json"]
    assert written[1].read_text(encoding="utf-8") == schema_text("section")
