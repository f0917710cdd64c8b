"""``tutor check`` and ``tutor check-course`` as a learner and an author use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.exercises.conftest import FIXTURES

MINI = str(FIXTURES / "mini")


def _tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, check=False
    )


def test_check_passes_and_fails_with_exit_codes(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text("def add(a, b):\n    return a + b\n")
    bad.write_text("def add(a, b):\n    return a - b\n")
    passed = _tutor("check", MINI, "add-numbers", str(good))
    assert passed.returncode == 0, passed.stderr
    assert "PASSED add-numbers" in passed.stdout
    failed = _tutor("check", MINI, "add-numbers", str(bad), "--json")
    assert failed.returncode == 1
    verdict = json.loads(failed.stdout)
    assert verdict["passed"] is False
    assert verdict["mistakes"] == ["You subtract instead of adding."]
    assert "assert -1 == 5" in verdict["checks"][0]["details"]
    assert "expected `5`, got `-1`" in verdict["checks"][0]["message"]


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = _tutor("check", MINI, "add-numbers", str(tmp_path / "missing.py"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    source = tmp_path / "s.py"
    source.write_text("")
    unknown = _tutor("check", MINI, "no-such-exercise", str(source))
    assert unknown.returncode == 2
    assert "no exercise 'no-such-exercise'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_check_course_proves_the_fixture_course() -> None:
    result = _tutor("check-course", MINI)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mini: 17 claims checked, proved" in result.stdout
    assert "ok   exercise add-numbers: mistake 2's pattern does not match the starter" in (
        result.stdout
    )


def test_check_course_reports_a_broken_course(tmp_path: Path) -> None:
    course = (FIXTURES / "mini" / "sections" / "basics.yaml").read_text()
    broken = course.replace("return a + b\n        checks:", "return a * b\n        checks:")
    assert broken != course
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "basics.yaml").write_text(broken)
    (tmp_path / "course.yaml").write_text((FIXTURES / "mini" / "course.yaml").read_text())
    result = _tutor("check-course", str(tmp_path), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    failures = [i for i in report["items"] if not i["ok"]]
    assert [(f["where"], f["what"]) for f in failures] == [
        ("exercise add-numbers", "the solution passes")
    ]


def test_check_course_on_an_invalid_course_lists_the_problems(tmp_path: Path) -> None:
    (tmp_path / "course.yaml").write_text("id: Not A Slug\ntitle: x\n")
    result = _tutor("check-course", str(tmp_path))
    assert result.returncode == 1
    assert "the course is invalid" in result.stderr
    assert str(tmp_path / "course.yaml") in result.stderr
    assert "Traceback" not in result.stderr


def test_check_course_refuses_patterns_re2_cannot_run(tmp_path: Path) -> None:
    course = (FIXTURES / "mini" / "sections" / "basics.yaml").read_text()
    broken = course.replace("pattern: print\\(", "pattern: '(?=print)print\\('")
    broken = broken.replace('patterns: ["def(ine)?"]', 'patterns: ["(d)ef\\\\1?"]')
    assert broken.count("(?=print)") == 1 and broken.count("\\\\1") == 1
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "basics.yaml").write_text(broken)
    (tmp_path / "course.yaml").write_text((FIXTURES / "mini" / "course.yaml").read_text())
    result = _tutor("check-course", str(tmp_path), "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    failures = {(i["where"], i["what"]): i["detail"] for i in json.loads(result.stdout)["items"]}
    failures = {k: v for k, v in failures.items() if v}
    look_ahead = failures[("exercise add-numbers", "mistake 2's pattern runs in linear time")]
    assert "not supported by RE2" in look_ahead and "look-ahead" in look_ahead
    back_reference = failures[
        ("exercise basics-quiz, question keyword", "the question has a correct answer")
    ]
    assert "not supported by RE2" in back_reference


def test_check_course_refuses_a_mistake_pattern_that_matches_the_starter(tmp_path: Path) -> None:
    """A common mistake whose pattern matches the untouched starter would greet every
    learner on their first check: check-course proves none does."""
    course = (FIXTURES / "mini" / "sections" / "basics.yaml").read_text()
    broken = course.replace(
        "        starter: |\n          def add(a, b):\n              pass\n",
        "        starter: |\n          def add(a, b):\n              print(a, b)\n",
    )
    assert broken != course
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "basics.yaml").write_text(broken)
    (tmp_path / "course.yaml").write_text((FIXTURES / "mini" / "course.yaml").read_text())
    result = _tutor("check-course", str(tmp_path), "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    failures = [i for i in json.loads(result.stdout)["items"] if not i["ok"]]
    assert [(f["where"], f["what"], f["detail"]) for f in failures] == [
        (
            "exercise add-numbers",
            "mistake 2's pattern does not match the starter",
            "the pattern 'print\\\\(' matches the starter",
        )
    ]
