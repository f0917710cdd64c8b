"""Messages a learner and an author read: what a function returned, what is missing, where
a syntax error is, a broken exercise, tuples, and the import's own time budget.

Every test grades in the real sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import ExerciseBroken, Grader


def _exercise(checks: str, time_s: float = 2.0) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="x",
        title="X",
        prompt="p",
        starter="",
        solution="",
        checks=checks,
        limits=Limits(time_s=time_s),
    )


CALL_WHEN = "def test_when(submission):\n    assert submission.call('when') == '2024-01-02'\n"


def test_a_returned_date_is_named_as_returned_not_raised(grader: Grader) -> None:
    source = "import datetime\ndef when():\n    return datetime.date(2024, 1, 2)\n"
    message = grader.grade(_exercise(CALL_WHEN), source).checks[0].message
    assert message.startswith("your function `when` returned a date, which cannot be compared here")
    assert "isoformat()" in message
    assert "raised" not in message


def test_a_dict_with_int_keys_is_named(grader: Grader) -> None:
    source = "def when():\n    return {1: 'a'}\n"
    message = grader.grade(_exercise(CALL_WHEN), source).checks[0].message
    assert message.startswith("your function `when` returned a dict with an int key")


def test_a_missing_function_is_named_as_missing(grader: Grader) -> None:
    checks = "def test_abbr(submission):\n    assert submission.call('abbreviate', 'a b') == 'AB'\n"
    verdict = grader.grade(_exercise(checks), "def abbreviation(s):\n    return s\n")
    assert verdict.checks[0].message == "there is no function named `abbreviate` in your code"


def test_an_attribute_error_inside_the_function_is_still_raised(grader: Grader) -> None:
    checks = "def test_abbr(submission):\n    assert submission.call('abbreviate', 'a b') == 'AB'\n"
    verdict = grader.grade(_exercise(checks), "def abbreviate(s):\n    return s.nope\n")
    assert verdict.checks[0].message.startswith("your code raised AttributeError")


def test_a_name_that_is_not_a_function(grader: Grader) -> None:
    checks = "def test_abbr(submission):\n    assert submission.call('abbreviate', 'a b') == 'AB'\n"
    verdict = grader.grade(_exercise(checks), "abbreviate = 3\n")
    assert verdict.checks[0].message == "`abbreviate` in your code is not a function"


def test_a_missing_app_is_named(grader: Grader) -> None:
    checks = "def test_get(submission):\n    assert submission.http('GET', '/').status_code == 9\n"
    verdict = grader.grade(_exercise(checks), "x = 1\n")
    assert verdict.checks[0].message == "there is no ASGI app named `app` in your code"


def test_a_syntax_error_names_the_learners_file_and_line(grader: Grader) -> None:
    source = "def abbreviate(s):\n    return s +\n"
    checks = "def test_abbr(submission):\n    assert submission.call('abbreviate', 'a') == 'A'\n"
    verdict = grader.grade(_exercise(checks), source, filename="acronym.py")
    message = verdict.checks[0].message
    assert message == "your code could not be imported: SyntaxError in acronym.py, line 2: " + (
        "invalid syntax"
    )
    assert "submission.py" not in message
    unnamed = grader.grade(_exercise(checks), source).checks[0].message
    assert unnamed.startswith("your code could not be imported: SyntaxError in line 2")


def test_tuples_stay_tuples_both_ways(grader: Grader) -> None:
    checks = (
        "def test_pair(submission):\n"
        "    result = submission.call('pair', (1, [2, (3,)]))\n"
        "    assert result == ('tuple', (1, [2, (3,)]))\n"
        "    assert type(result[1][1][1]) is tuple\n"
        "    assert submission.call('pair', [1]) == ('list', [1])\n"
    )
    source = "def pair(value):\n    return (type(value).__name__, value)\n"
    verdict = grader.grade(_exercise(checks), source)
    assert verdict.passed, verdict.checks


def test_the_import_has_its_own_time_budget(grader: Grader) -> None:
    checks = "def test_slow(submission):\n    assert submission.call('slow') == 1\n"
    source = "import time\ntime.sleep(0.7)\ndef slow():\n    time.sleep(0.7)\n    return 1\n"
    verdict = grader.grade(_exercise(checks, time_s=1.0), source)
    assert verdict.passed, verdict.checks  # 1.4 s in all: 0.7 s import + 0.7 s check


def test_an_endless_import_is_still_stopped(grader: Grader) -> None:
    checks = "def test_slow(submission):\n    assert submission.call('slow') == 1\n"
    verdict = grader.grade(_exercise(checks, time_s=1.0), "while True:\n    pass\n")
    assert verdict.checks[0].limit == "time"
    assert verdict.checks[0].message.startswith("stopped after 1 s")


def test_the_check_still_has_only_its_own_budget(grader: Grader) -> None:
    checks = "def test_slow(submission):\n    assert submission.call('slow') == 1\n"
    source = "import time\ndef slow():\n    time.sleep(1.6)\n    return 1\n"
    verdict = grader.grade(_exercise(checks, time_s=1.0), source)
    assert verdict.checks[0].limit == "time"


def test_import_time_logs_reach_the_first_call(grader: Grader) -> None:
    checks = (
        "def test_logs(submission):\n"
        "    assert submission.call('f') == 1\n"
        "    assert [r['message'] for r in submission.logs] == ['imported', 'called']\n"
    )
    source = (
        "import logging\nlog = logging.getLogger('m')\nlog.warning('imported')\n"
        "def f():\n    log.warning('called')\n    return 1\n"
    )
    assert grader.grade(_exercise(checks), source).passed


BROKEN_CHECKS = "def test_x(submission)\n    pass\n"


def test_a_broken_exercise_is_an_error_verdict_not_a_failed_answer(grader: Grader) -> None:
    with pytest.raises(ExerciseBroken) as caught:
        grader.grade(_exercise(BROKEN_CHECKS), "x = 1\n")
    verdict = caught.value.verdict
    assert verdict.error is not None
    assert verdict.error.startswith("the exercise is broken (not your code)")
    assert not verdict.passed and verdict.checks == []


def test_tutor_check_exits_3_with_json_for_a_broken_exercise(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "sections").mkdir(parents=True)
    (course / "course.yaml").write_text(
        "id: broken\ntitle: Broken\ndescription: d\nsections: [sections/s.yaml]\n"
    )
    (course / "checks.py").write_text(BROKEN_CHECKS)
    (course / "sections" / "s.yaml").write_text(
        "id: s\ntitle: S\ntopics:\n  - id: t\n    title: T\n    points: [{id: p, title: P}]\n"
        "    exercises:\n      - {id: e, kind: code, title: E, prompt: p, starter: '',\n"
        "         solution: 'x = 1', checks: {file: ../checks.py}}\n"
    )
    answer = tmp_path / "answer.py"
    answer.write_text("x = 1\n")
    run = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "check", str(course), "e", str(answer), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 3, run.stdout + run.stderr
    verdict = json.loads(run.stdout)
    assert verdict["passed"] is False
    assert "the checks file is broken" in verdict["error"]
    text = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "check", str(course), "e", str(answer)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert text.returncode == 3
    assert text.stdout.startswith("ERROR  e: not graded: the exercise is broken")
