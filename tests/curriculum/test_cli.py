"""The course commands as an instructor runs them: real subprocesses, real exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from curriculum.schema import json_schema
from tests.curriculum.conftest import COURSE, seeds, write
from tutor.cli import app

pytestmark = pytest.mark.slow  # each real subprocess starts Python and imports the CLI


def tutor(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def run(*args: str) -> Result:
    """In-process, for output checks (exit codes are checked with real subprocesses)."""
    return CliRunner().invoke(app, list(args))


def test_validate_a_valid_course_exits_0() -> None:
    result = tutor("validate", "python-backend")
    assert result.returncode == 0
    assert "valid: course 'python-backend'" in result.stdout


def test_validate_an_invalid_course_exits_1_with_located_problems(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("title: Demo", "titel: Demo")})
    result = tutor("validate", str(course))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{course / 'course.yaml'}:3:1: unknown key 'titel' (did you mean 'title'? it is required)",
        "    titel: Demo",
    ]
    assert "1 problem(s)" in result.stderr


def test_validate_json_format(course: Path) -> None:
    write(course, {"course.yaml": COURSE.replace("schema_version: 1", "schema_version: 3")})
    result = tutor("validate", str(course), "--format", "json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["problems"] == [
        {
            "file": str(course / "course.yaml"),
            "line": 1,
            "column": 17,
            "message": "unsupported schema_version 3 (this Tutor reads 1)",
            "source_line": "schema_version: 3",
        }
    ]
    valid = json.loads(run("validate", "python-backend", "--format", "json").stdout)
    assert valid == {"valid": True, "course": "python-backend", "problems": []}


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert tutor("validate", str(tmp_path / "missing")).returncode == 2
    assert tutor("validate").returncode == 2
    assert run("validate", "python-backend", "--format", "xml").exit_code == 2
    assert run("show", str(tmp_path / "missing")).exit_code == 2


def test_bad_input_never_gives_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "course.yaml").write_bytes(b"a: &a [*a]\n")
    result = tutor("validate", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.startswith(str(tmp_path / "course.yaml") + ":1:")


def test_schema_prints_the_generated_schema() -> None:
    assert json.loads(tutor("schema").stdout) == json_schema("course")
    assert json.loads(run("schema", "--kind", "section").stdout) == json_schema("section")


def test_show_prints_ids_lessons_and_exercise_kinds() -> None:
    text = run("show", "python-backend").stdout
    assert "1. FastAPI Fundamentals [fastapi-fundamentals]" in text
    assert "[modern-async-framework] (lesson" in text
    tree = json.loads(tutor("show", "python-backend", "--json").stdout)
    assert tree["id"] == "python-backend"
    point = tree["sections"][0]["topics"][0]["points"][0]
    assert set(point) == {"id", "title", "lesson", "exercise", "lesson_from"}
    assert point["lesson_from"] is None  # the flagship writes every lesson itself
    exercises = [e for s in tree["sections"] for t in s["topics"] for e in t["exercises"]]
    assert all(e["kind"] in ("code", "quiz", "self-check") for e in exercises)


def test_new_scaffolds_a_course_that_validates_and_shows(tmp_path: Path) -> None:
    out = tmp_path / "my-course"
    result = tutor("new", str(out))
    assert result.returncode == 0, result.stderr
    assert tutor("validate", str(out)).returncode == 0
    shown = run("show", str(out))
    assert shown.exit_code == 0
    assert "(code, on topic functions)" in shown.stdout
    assert "(quiz, on topic choosing-names)" in shown.stdout
    assert "(self-check, on section next-steps)" in shown.stdout
    assert run("new", str(out)).exit_code == 2


def test_new_from_a_bundled_course_makes_an_editable_copy(tmp_path: Path) -> None:
    out = tmp_path / "our-backend"
    result = tutor("new", str(out), "--from", "python-backend", "--title", "Our Backend")
    assert result.returncode == 0, result.stderr
    assert "course 'our-backend', 7 sections" in result.stdout
    course = (out / "course.yaml").read_text(encoding="utf-8").splitlines()
    assert course[0] == "# yaml-language-server: $schema=.schema/course.schema.json"
    assert "id: our-backend" in course
    assert "title: Our Backend" in course
    section = next((out / "sections").glob("01-*.yaml")).read_text(encoding="utf-8")
    assert section.startswith("# yaml-language-server: $schema=../.schema/section.schema.json")
    assert (out / ".schema" / "section.schema.json").is_file()
    assert tutor("validate", str(out)).returncode == 0
    missing = tutor("new", str(tmp_path / "x"), "--from", "no-such-course")
    assert missing.returncode == 2
    assert "no such course or path: no-such-course" in missing.stderr
    a_file = tutor("new", str(tmp_path / "x"), "--from", str(out / "course.yaml"))
    assert a_file.returncode == 2
    assert "is not a course folder: give the folder holding course.yaml" in a_file.stderr
    broken = write(tmp_path / "broken", {"course.yaml": "id: [unclosed\n"})
    invalid = tutor("new", str(tmp_path / "x"), "--from", str(broken))
    assert invalid.returncode == 1
    assert "course.yaml:2:1: YAML syntax error" in invalid.stderr
    assert "has 1 problem(s); fix them before copying it" in invalid.stderr
    assert not (tmp_path / "x").exists()


def test_import_writes_a_course_that_validates(tmp_path: Path) -> None:
    seed = next(s for s in seeds if s.name.startswith("002"))
    out = tmp_path / "backend-roadmap"
    result = tutor("import", str(seed), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "note: line 121: skipped a table (tables are not imported)" in result.stdout
    assert tutor("validate", str(out)).returncode == 0
    assert json.loads(run("show", str(out), "--json").stdout)["id"] == "backend-roadmap"
    assert run("import", str(seed), "--out", str(out)).exit_code == 2
    assert run("import", str(tmp_path / "nope.md"), "--out", str(tmp_path / "x")).exit_code == 2


def test_import_names_a_folder_given_as_the_roadmap_and_a_file_given_as_out(
    tmp_path: Path,
) -> None:
    roadmap = write(tmp_path, {"r.md": "# T\n## S\n- a point\n"}) / "r.md"
    as_roadmap = run("import", str(tmp_path), "--out", str(tmp_path / "x"))
    assert as_roadmap.exit_code == 2
    assert f"is a folder, not a markdown file: {tmp_path}" in as_roadmap.output
    as_out = run("import", str(roadmap), "--out", str(roadmap))
    assert as_out.exit_code == 2
    assert f"{roadmap} is a file; give a folder to create the course in" in as_out.output


def test_an_empty_course_argument_is_a_usage_error() -> None:
    result = run("validate", "")
    assert result.exit_code == 2
    assert "no such course or path" in result.output


def test_new_into_a_non_empty_folder_offers_no_option_it_does_not_have(tmp_path: Path) -> None:
    write(tmp_path, {"notes.txt": "mine"})
    result = run("new", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == f"tutor: {tmp_path} exists and is not an empty folder\n"
