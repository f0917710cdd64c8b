"""``mode: tests``: a learner test that recognises the public reference instead of testing.

The reference implementation is public (exported in the section's notebook).  Served
as a file, a test comparing its text (or its compiled code) with that public text
passed on the reference and failed on every broken implementation: a full pass
without testing anything.  The sandbox now serves implementations as disguised code
objects (no file, no source, salted afresh for each child), so such a test fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from curriculum import Course
from exercises.grade import Grader, find_code_exercise

FINGERPRINT = """
import dis
import hashlib
import inspect

import app_under_test

REFERENCE = "def add(a, b):\\n    return a + b\\n"


def _shape(code):
    return [(i.opname, i.argrepr) for i in dis.get_instructions(code)]


def _reference_code():
    module = compile(REFERENCE, "app_under_test.py", "exec")
    return next(c for c in module.co_consts if hasattr(c, "co_code"))


def _fingerprints():
    found = []
    try:
        found.append(inspect.getsource(app_under_test) == REFERENCE)
    except (OSError, TypeError):
        pass
    try:
        with open(app_under_test.__file__) as fh:
            text = fh.read()
        digest = hashlib.sha256(text.encode()).digest()
        found.append(digest == hashlib.sha256(REFERENCE.encode()).digest())
    except (OSError, TypeError, AttributeError):
        pass
    code, reference = app_under_test.add.__code__, _reference_code()
    found.append(code.co_code == reference.co_code)
    found.append(_shape(code) == _shape(reference))
    found.append(code.co_consts == reference.co_consts and code.co_names == reference.co_names)
    found.append(list(code.co_lines()) == list(reference.co_lines()))
    return found


def test_add():
    assert any(_fingerprints()), "not the reference"
"""


def test_a_fingerprinting_test_file_does_not_pass(grader: Grader, mini: Course) -> None:
    verdict = grader.grade(find_code_exercise(mini, "test-the-adder"), FINGERPRINT)
    assert not verdict.passed
    reference = verdict.checks[0]
    assert reference.name == "your tests pass on the reference implementation"
    assert not reference.passed
    assert "not the reference" in reference.message


def test_the_fingerprint_recognises_the_reference_as_a_file(mini: Course, tmp_path: Path) -> None:
    """Outside the sandbox, with the reference as a readable file, the same test passes:
    the attack is real, and only the way implementations are served stops it."""
    exercise = find_code_exercise(mini, "test-the-adder")
    reference = exercise.implementations["reference"]
    (tmp_path / "app_under_test.py").write_text(str(reference))
    (tmp_path / "test_fingerprint.py").write_text(FINGERPRINT)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_implementations_still_behave_and_are_caught(grader: Grader, mini: Course) -> None:
    exercise = find_code_exercise(mini, "test-the-adder")
    verdict = grader.grade(exercise, str(exercise.solution))
    assert verdict.passed, verdict.checks
    tracebacks = (
        "import app_under_test\n\ndef test_add():\n"
        "    assert app_under_test.add(2, 3) == 5\n"
        "    assert app_under_test.add(-1, -1) == -2\n"
    )
    verdict = grader.grade(exercise, tracebacks)
    assert [c.passed for c in verdict.checks[:3]] == [True, True, True]
