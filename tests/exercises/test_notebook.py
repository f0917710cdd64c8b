"""Notebook export and grading: valid nbformat, check cells, refusal of bad notebooks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from curriculum import Course
from exercises.grade import Grader
from exercises.notebook import (
    ANSWER_MARK,
    NotebookRejected,
    SectionNotFound,
    answers,
    export_section,
    grade_notebook,
)
from exercises.notebook_kernel import answer_from_history, grade_answer
from tests.exercises.conftest import FIXTURES, code_exercise

MINI = str(FIXTURES / "mini")


def _notebook(course: Course) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_section(course, "basics", MINI))
    return data


def _fill(course: Course, data: dict[str, Any], role_source: dict[str, str]) -> str:
    for cell in data["cells"]:
        meta = cell["metadata"].get("tutor", {})
        if meta.get("role") == "answer" and meta["exercise"] in role_source:
            mark = ANSWER_MARK.format(id=meta["exercise"])
            cell["source"] = mark + "\n" + role_source[meta["exercise"]]
    return json.dumps(data)


def _solutions(course: Course) -> dict[str, str]:
    ids = ["add-numbers", "items-api", "shout-lines", "test-the-adder"]
    return {i: str(code_exercise(course, i).solution) for i in ids}


def test_export_is_valid_nbformat_with_lessons_and_exercise_cells(mini: Course) -> None:
    text = export_section(mini, "1", MINI)
    notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    kinds = [(c.cell_type, c.metadata.get("tutor", {}).get("role")) for c in notebook.cells]
    assert kinds.count(("code", "answer")) == 4
    assert kinds.count(("code", "check")) == 4
    sources = [c.source for c in notebook.cells]
    assert "def add(a, b):\n    return a + b\n\nprint(add(2, 3))\n" in sources
    check_cell = next(
        c for c in notebook.cells if c.metadata.get("tutor", {}).get("role") == "check"
    )
    assert f"grade_answer({MINI!r}, 'add-numbers')" in check_cell.source
    not_runnable = [c for c in notebook.cells if "not_runnable" in c.metadata.get("tutor", {})]
    assert [c.cell_type for c in not_runnable] == ["markdown"]
    assert "*Not runnable here: it starts a server" in not_runnable[0].source
    assert notebook.metadata["tutor"]["exercises"] == [
        "add-numbers",
        "items-api",
        "shout-lines",
        "test-the-adder",
    ]


def test_unknown_section_is_an_error(mini: Course) -> None:
    with pytest.raises(SectionNotFound, match="sections: basics"):
        export_section(mini, "advanced")


def test_filled_in_notebook_is_graded_in_the_sandbox(mini: Course, grader: Grader) -> None:
    solutions = _solutions(mini)
    solutions["shout-lines"] = "print('no')\n"
    text = _fill(mini, _notebook(mini), solutions)
    verdicts = {v.exercise_id: v.passed for v in grade_notebook(mini, text, grader)}
    assert verdicts == {
        "add-numbers": True,
        "items-api": True,
        "shout-lines": False,
        "test-the-adder": True,
    }


def test_the_answer_mark_is_not_part_of_the_graded_source(mini: Course) -> None:
    text = _fill(mini, _notebook(mini), {"add-numbers": "x = 1\n"})
    assert answers(text, mini)["add-numbers"] == "x = 1\n"


def _rejected(course: Course, text: str) -> str:
    with pytest.raises(NotebookRejected) as info:
        answers(text, course)
    return str(info.value)


def test_malformed_foreign_and_tampered_notebooks_are_refused(mini: Course) -> None:
    assert "not a valid Jupyter notebook" in _rejected(mini, "{not json")
    assert "not a valid Jupyter notebook" in _rejected(mini, json.dumps({"cells": 3}))
    foreign = _notebook(mini)
    foreign["metadata"]["tutor"]["course"] = "python-backend"
    assert "belongs to course 'python-backend'" in _rejected(mini, json.dumps(foreign))
    plain = _notebook(mini)
    del plain["metadata"]["tutor"]
    assert "not exported by Tutor" in _rejected(mini, json.dumps(plain))
    altered = _notebook(mini)
    altered["metadata"]["tutor"]["exercises"].append("extra")
    assert "altered" in _rejected(mini, json.dumps(altered))
    doubled = _notebook(mini)
    answer = next(c for c in doubled["cells"] if c["metadata"].get("tutor", {}).get("role"))
    doubled["cells"].append({**answer, "id": "another-cell"})
    assert "two answer cells" in _rejected(mini, json.dumps(doubled))
    relabelled = _notebook(mini)
    answer = next(c for c in relabelled["cells"] if c["metadata"].get("tutor", {}).get("role"))
    answer["metadata"]["tutor"]["exercise"] = "basics-quiz"
    assert "unknown exercise" in _rejected(mini, json.dumps(relabelled))


def test_check_cell_helper_grades_the_latest_answer_from_history(mini: Course) -> None:
    mark = ANSWER_MARK.format(id="add-numbers")
    history = [
        "",
        f"{mark}\ndef add(a, b):\n    return a - b\n",
        "x = 1",
        f"{mark}\ndef add(a, b):\n    return a + b\n",
    ]
    assert answer_from_history("add-numbers", history) == "def add(a, b):\n    return a + b\n"
    assert answer_from_history("items-api", history) is None
    assert grade_answer(MINI, "add-numbers", history=history) is True
    assert grade_answer(MINI, "add-numbers", history=history[:3]) is False
    assert grade_answer(MINI, "items-api", history=history) is None


def test_cli_export_then_grade(tmp_path: Path, mini: Course) -> None:
    out = tmp_path / "basics.ipynb"
    tutor = [sys.executable, "-m", "tutor.cli"]
    exported = subprocess.run(
        [*tutor, "export", "notebook", MINI, "basics", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    filled = tmp_path / "filled.ipynb"
    filled.write_text(_fill(mini, json.loads(out.read_text()), _solutions(mini)))
    graded = subprocess.run(
        [*tutor, "grade", MINI, str(filled), "--json"], capture_output=True, text=True, check=False
    )
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert [v["passed"] for v in json.loads(graded.stdout)] == [True] * 4
    bad = tmp_path / "bad.ipynb"
    bad.write_text("[]")
    refused = subprocess.run(
        [*tutor, "grade", MINI, str(bad)], capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1
    assert "cannot grade this notebook: not a valid Jupyter notebook" in refused.stderr
