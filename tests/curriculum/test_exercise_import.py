"""``tutor import-exercises``: folders of exercises, in the public and the plain layout,
become a course that validates; what cannot be expressed is listed with the reason."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import load_course
from curriculum.exercise_folders import (
    Unexpressible,
    is_complete_code,
    parse_hints,
    read_exercise_folder,
)
from curriculum.model import CodeExercise

CORPUS = Path(__file__).parents[1] / "data" / "exercise_corpus"
REFUSED = {
    "draft-exercise": "no solution.py: a reference solution is needed to prove the tests",
    "weather-report": "it needs the network (it imports urllib.request), and the sandbox has none",
}


def tutor(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("imported") / "corpus-course"
    result = tutor("import-exercises", str(CORPUS), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr  # two could not be expressed
    return out, result.stdout


def _exercises(out: Path) -> dict[str, CodeExercise]:
    course = load_course(out)
    found = {}
    for ref in course.outline.exercises:
        assert isinstance(ref.exercise, CodeExercise)
        found[ref.exercise.id] = ref.exercise
    return found


def test_the_corpus_imports_into_a_course_that_validates(imported: tuple[Path, str]) -> None:
    out, report = imported
    assert "14 of 16 exercises imported" in report
    validated = tutor("validate", str(out))
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "14 exercises" in validated.stdout
    assert set(_exercises(out)) == {
        p.name for p in CORPUS.iterdir() if p.is_dir() and p.name not in REFUSED
    }


def test_what_cannot_be_expressed_is_listed_with_the_reason(imported: tuple[Path, str]) -> None:
    _, report = imported
    for folder, reason in REFUSED.items():
        assert f"NOT imported {folder}: {reason}" in report


def test_public_layout_prompt_title_hints_tests_and_module(imported: tuple[Path, str]) -> None:
    clock = _exercises(imported[0])["clock"]
    assert clock.mode == "testfile" and clock.module == "clock"
    assert clock.title == "Clock"
    assert clock.prompt.startswith("Clocks wrap around")  # introduction first, no headings
    assert "Implement a clock" in clock.prompt and "# Instructions" not in clock.prompt
    assert clock.hints == [
        "Keep the time as a number of minutes since midnight.",
        "Use the modulo operator `%` to wrap around a day (there are `24 * 60` minutes in a day).",
        "`__eq__` compares two clocks; `__repr__` is what the tests print.",
    ]
    assert list(clock.tests) == ["clock_test.py"]
    assert "class ClockTest(unittest.TestCase)" in str(clock.tests["clock_test.py"])
    assert "MINUTES_PER_DAY" in str(clock.solution) and "pass" in str(clock.starter)
    bank = _exercises(imported[0])["bank-account"]
    assert bank.prompt.endswith("use the messages exactly as written.")  # instructions.append
    assert bank.module == "bank_account" and not bank.starter_passes


def test_helper_modules_and_data_files_are_files(imported: tuple[Path, str]) -> None:
    exercises = _exercises(imported[0])
    assert set(exercises["word-lookup"].files) == {"normalizer.py", "words.txt"}
    assert str(exercises["word-lookup"].files["words.txt"]).split() == [
        "the", "cat", "sat", "on", "mat", "a"
    ]  # fmt: skip
    grades = exercises["grades"]
    assert (grades.module, set(grades.files)) == ("grades", {"scale.py", "grades.csv"})


def test_plain_layout_title_prompt_and_hints(imported: tuple[Path, str]) -> None:
    inventory = _exercises(imported[0])["inventory"]
    assert inventory.title == "Inventory"
    assert inventory.prompt.startswith("An inventory is a dict")
    assert inventory.hints == [
        "`dict.get(key, 0)` gives a default for a missing key.",
        "`dict(inventory)` copies a dict.",
    ]
    assert list(inventory.tests) == ["test_inventory.py"] and inventory.files == {}


def test_a_refactoring_starter_is_marked_starter_passes(imported: tuple[Path, str]) -> None:
    exercises = _exercises(imported[0])
    assert exercises["tree-building"].starter_passes
    assert [e for e, x in exercises.items() if x.starter_passes] == ["tree-building"]
    assert "tree-building as exercise tree-building; its starter is complete code" in imported[1]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = tutor("import-exercises", str(tmp_path / "nope"), "--out", str(tmp_path / "c"))
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x")
    taken = tutor("import-exercises", str(CORPUS), "--out", str(busy))
    assert taken.returncode == 2 and "is not an empty folder" in taken.stderr


def test_nothing_expressible_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "exercises"
    shutil.copytree(CORPUS / "weather-report", source / "weather-report")
    out = tmp_path / "course"
    result = tutor("import-exercises", str(source), "--out", str(out))
    assert result.returncode == 1
    assert "0 of 1 exercises imported" in result.stdout
    assert "nothing was written" in result.stderr
    assert not out.exists()


def test_everything_expressible_exits_0(tmp_path: Path) -> None:
    source = tmp_path / "exercises"
    for name in ("leap", "acronym"):
        shutil.copytree(CORPUS / name, source / name)
    result = tutor("import-exercises", str(source), "--out", str(tmp_path / "c"), "--id", "two")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote" in result.stdout and "course 'two'" in result.stdout


def _public(tmp_path: Path, files: dict[str, str], config: object | None = None) -> Path:
    folder = tmp_path / "ex"
    (folder / ".meta").mkdir(parents=True)
    (folder / ".docs").mkdir()
    (folder / ".docs" / "instructions.md").write_text("# Instructions\n\nDo it.\n")
    default = {"files": {"solution": ["ex.py"], "test": ["ex_test.py"], "example": ["ref.py"]}}
    (folder / ".meta" / "config.json").write_text(json.dumps(default if config is None else config))
    stock = {
        "ex.py": "def f():\n    pass\n",
        "ref.py": "def f():\n    return 1\n",
        "ex_test.py": "from ex import f\n\ndef test_f():\n    assert f() == 1\n",
    }
    for name, text in {**stock, **files}.items():
        (folder / name).write_text(text)
    return folder


def test_a_good_public_folder_reads(tmp_path: Path) -> None:
    draft = read_exercise_folder(_public(tmp_path, {}))
    assert (draft.module, draft.title, draft.prompt) == ("ex", "Ex", "Do it.")


@pytest.mark.parametrize(
    ("files", "config", "reason"),
    [
        ({"ex_test.py": "def test(:\n"}, None, "ex_test.py is not valid Python"),
        ({"ex_test.py": "import numpyy_missing\n"}, None, "imports numpyy_missing, which is not"),
        ({"ex_test.py": "import os\n"}, None, "the tests never import `ex`"),
        ({}, "not json", ".meta/config.json is not valid JSON"),
        ({}, {"files": {"solution": ["ex.py"], "example": ["ref.py"]}}, "names no `files.test`"),
        ({}, {"files": {"solution": ["ex.py"], "test": ["ex_test.py"]}}, "`files.example`"),
        ({"ref.py": "import socket\n"}, None, "it needs the network (it imports socket)"),
        (
            {"ex2.py": ""},
            {"files": {"solution": ["ex.py", "ex2.py"], "test": ["ex_test.py"], "example": ["r"]}},
            "the learner edits several files (ex.py, ex2.py); a submission is one",
        ),
    ],
    ids=[
        "syntax",
        "uninstalled",
        "no-module",
        "bad-json",
        "no-tests",
        "no-ref",
        "network",
        "two-stubs",
    ],
)
def test_unexpressible_folders_say_why(
    tmp_path: Path, files: dict[str, str], config: object, reason: str
) -> None:
    folder = _public(tmp_path, files, None if config == "not json" else config)
    if config == "not json":
        (folder / ".meta" / "config.json").write_text("{nope")
    with pytest.raises(Unexpressible) as caught:
        read_exercise_folder(folder)
    assert reason in str(caught.value)


def test_a_binary_data_file_is_refused(tmp_path: Path) -> None:
    config = {
        "files": {
            "solution": ["ex.py"],
            "test": ["ex_test.py"],
            "example": ["ref.py"],
            "editor": ["blob.bin"],
        }
    }
    folder = _public(tmp_path, {}, config)
    (folder / "blob.bin").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(Unexpressible, match=r"blob\.bin is not UTF-8 text"):
        read_exercise_folder(folder)


def test_a_test_file_name_the_format_refuses_is_reported(tmp_path: Path) -> None:
    config = {"files": {"solution": ["ex.py"], "test": ["ex-test.py"], "example": ["ref.py"]}}
    folder = _public(tmp_path, {"ex-test.py": "from ex import f\n"}, config)
    with pytest.raises(Unexpressible, match=r"the test file name .ex-test\.py. is not one"):
        read_exercise_folder(folder)


def test_an_explicit_starter_passes_setting_wins(tmp_path: Path) -> None:
    config = {
        "files": {"solution": ["ex.py"], "test": ["ex_test.py"], "example": ["ref.py"]},
        "custom": {"starter_passes": True},
    }
    assert read_exercise_folder(_public(tmp_path, {}, config)).starter_passes


def test_hints_are_list_items_with_their_continuations() -> None:
    text = "# Hints\n\n## General\n\n- one\n  more\n* two\n\n## Task 2\n\n- three\n"
    assert parse_hints(text) == ["one more", "two", "three"]
    assert parse_hints("# Hints\n\nJust think.\n") == ["Just think."]
    assert parse_hints("") == []


def test_complete_code_is_told_from_a_stub() -> None:
    assert is_complete_code("def f(x):\n    return x\n")
    assert not is_complete_code("def f(x):\n    pass\n")
    assert not is_complete_code('def f(x):\n    """Doc."""\n    ...\n')
    assert not is_complete_code("def f(x):\n    raise NotImplementedError\n")
    assert not is_complete_code("X = 1\n")
