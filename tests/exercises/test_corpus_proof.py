"""The exercise corpus, imported with ``tutor import-exercises``, proved in the real sandbox:
references pass, stubs fail (the refactoring's starter passes), wrong answers fail on
the test that catches them, and forgeries get the verdict the tests would give."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import Course, load_course
from exercises.grade import Grader, find_code_exercise
from exercises.prove import prove_course

CORPUS = Path(__file__).parents[1] / "data" / "exercise_corpus"


def _tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "corpus"
    _tutor("import-exercises", str(CORPUS), "--out", str(out))
    return out


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> Course:
    return load_course(corpus_dir)


@pytest.mark.slow
def test_tutor_check_course_proves_the_imported_corpus(corpus_dir: Path) -> None:
    result = _tutor("check-course", str(corpus_dir), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    proof = json.loads(result.stdout)
    assert proof["ok"] and len(proof["items"]) == 28


def test_check_course_proves_the_imported_corpus(corpus: Course, grader: Grader) -> None:
    proof = prove_course(corpus, grader)
    assert proof.ok, [(i.where, i.what, i.detail) for i in proof.failures]
    claims = {(i.where, i.what) for i in proof.items}
    assert len(claims) == 28  # 14 exercises: the solution passes, the starter fails/passes
    assert ("exercise tree-building", "the starter passes (starter_passes)") in claims


def _example(folder: str) -> str:
    layout = CORPUS / folder / ".meta" / "example.py"
    return (layout if layout.is_file() else CORPUS / folder / "solution.py").read_text()


WRONG: dict[str, tuple[str, str, str]] = {
    "clock": (
        "self.minutes = (hour * 60 + minute) % MINUTES_PER_DAY",
        "self.minutes = hour * 60 + minute",
        "test_midnight_is_zero_hours",
    ),
    "bank-account": (
        "        if amount > self.balance:\n"
        '            raise ValueError("amount must be less than balance")\n',
        "",
        "test_cannot_withdraw_more_than_deposited",
    ),
    "robot-simulator": (
        "self.coordinates = (x + dx, y + dy)",
        "self.coordinates = [x + dx, y + dy]",
        "test_moving_west_and_north",
    ),
    "list-ops": ("if key(item) < key(placed):", "if item < placed:", "test_sort_by_a_key_function"),
    "meetup": (
        "return next(d for d in days if 13 <= d.day <= 19)",
        "return next(d for d in days if 13 <= d.day <= 19).isoformat()",
        "test_teenth_monday",
    ),
    "etl": ("letter.lower()", "letter", "test_single_letter"),
    "leap": (
        "year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)",
        "year % 4 == 0",
        "test_year_divisible_by_100_not_400",
    ),
    "greeting": (
        "hour = current_hour()",
        "hour = datetime.datetime.now().hour + 100",
        "test_morning",
    ),
    "word-lookup": ("return {line.strip()", "return {line.strip().upper()", "test_all_known"),
    "acronym": ('r"[A-Za-z\']+"', 'r"[^ ]+"', "test_hyphens_separate_words"),
    "inventory": ("[(name, count)", "[[name, count]", "test_list_inventory_gives_tuples"),
    "stack": (
        '            raise IndexError("pop from an empty stack")\n',
        "            return None\n",
        "test_pop_from_empty_raises",
    ),
    "grades": ("sorted(names)", "sorted(names, reverse=True)", "test_report"),
    "tree-building": (
        "        if record.record_id != expected:\n"
        '            raise ValueError("record ids must be 0 to n - 1")\n',
        "",
        "test_a_gap_in_ids_is_invalid",
    ),
}


@pytest.mark.parametrize("folder", sorted(WRONG))
def test_a_wrong_answer_fails_on_the_test_that_catches_it(
    corpus: Course, grader: Grader, folder: str
) -> None:
    old, new, failing = WRONG[folder]
    reference = _example(folder)
    assert old in reference
    exercise = find_code_exercise(corpus, folder)
    verdict = grader.grade(exercise, reference.replace(old, new))
    assert not verdict.passed
    failed = [c.name.split("::")[-1].split("[")[0] for c in verdict.failed_checks]
    assert failing in failed, verdict.checks


LEAP_STUB = "def leap_year(year):\n    return year % 4 == 0\n"
FORGERIES = {
    "patches unittest": (
        "import unittest\n"
        "unittest.TestCase.assertIs = lambda *a, **k: None\n"
        "unittest.TestCase.assertEqual = lambda *a, **k: None\n" + LEAP_STUB
    ),
    "patches pytest": (
        "import _pytest.runner, pytest\n"
        "pytest.fail = lambda *a, **k: None\n"
        "_pytest.runner.call_and_report = lambda *a, **k: None\n" + LEAP_STUB
    ),
    "exits early with success": "import os\nos._exit(0)\n" + LEAP_STUB,
    "exits on the call": "import sys\ndef leap_year(year):\n    sys.exit(0)\n",
    "prints a fake report": (
        "print('Ran 4 tests in 0.001s\\n\\nOK')\nprint('{\"passed\": true}')\n" + LEAP_STUB
    ),
    "writes to the verdict channel": (
        "import json, os, struct\n"
        "frame = json.dumps({'ok': True, 'value': True}).encode()\n"
        "os.write(4, struct.pack('>I', len(frame)) + frame)\n" + LEAP_STUB
    ),
    "returns an always-equal object": (
        "class Yes:\n    def __eq__(self, other):\n        return True\n"
        "    def __bool__(self):\n        return True\n"
        "def leap_year(year):\n    return Yes()\n"
    ),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_a_forgery_gets_the_verdict_the_tests_would_give(
    corpus: Course, grader: Grader, name: str
) -> None:
    leap = find_code_exercise(corpus, "leap")
    verdict = grader.grade(leap, FORGERIES[name])
    assert not verdict.passed, verdict.checks
    if name in SAME_AS_HONEST:  # the forgery changed nothing the tests see
        honest = grader.grade(leap, LEAP_STUB)
        outcomes = {c.name: c.passed for c in honest.checks}
        assert {c.name: c.passed for c in verdict.checks} == outcomes
        assert outcomes["leap_test.py::LeapTest::test_year_divisible_by_100_not_400"] is False


SAME_AS_HONEST = {"patches unittest", "patches pytest", "prints a fake report"}
