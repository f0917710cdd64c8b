"""``mode: testfile``: hostile submissions get the verdict the instructor's tests would give.

The tests run in the grading runner; the learner's module is only a stand-in whose
attributes are references into the sandboxed child.  Each submission here tries to
forge a pass: patch unittest or pytest, end the process with success, print a fake
report, write a fake reply or verdict on its channels, raise the framework's skip
exception, or hand back an object that is equal to everything.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader
from exercises.verdict import Verdict

TESTS = """
import unittest

import target


class TargetTest(unittest.TestCase):
    def test_double(self):
        self.assertEqual(target.double(2), 4)

    def test_double_again(self):
        self.assertEqual(target.double(5), 10)
"""
PYTESTS = """
import target


def test_double():
    assert target.double(3) == 6
"""
WRONG = "def double(n):\n    return n + 1\n"


def _exercise(tests: str = TESTS, name: str = "test_target.py") -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="target",
        title="Target",
        prompt="Double it.",
        mode="testfile",
        starter="",
        solution="def double(n):\n    return 2 * n\n",
        tests={name: tests},
        limits=Limits(time_s=2, memory_mb=128, output_kb=16),
    )


@pytest.fixture(scope="module")
def attack_grader() -> Iterator[Grader]:
    with Grader("strict", runners=1) as grader:
        yield grader


def _grade(grader: Grader, source: str, tests: str = TESTS) -> Verdict:
    return grader.grade(_exercise(tests), source)


def _failed(verdict: Verdict) -> bool:
    return not verdict.passed and all(not c.passed for c in verdict.checks)


def test_the_reference_passes_and_a_wrong_answer_fails(attack_grader: Grader) -> None:
    assert attack_grader.grade(_exercise(), _exercise().solution).passed  # type: ignore[arg-type]
    assert _failed(_grade(attack_grader, WRONG))
    assert _failed(_grade(attack_grader, WRONG, PYTESTS))


PATCH_UNITTEST = (
    WRONG
    + """
import unittest
unittest.TestCase.assertEqual = lambda self, a, b, msg=None: None
unittest.TestCase.run = lambda self, result=None: None
import unittest.case
unittest.case.TestCase.assertEqual = lambda *a, **k: None
"""
)
PATCH_PYTEST = (
    WRONG
    + """
import pytest
import _pytest.runner
pytest.main = lambda *a, **k: 0
_pytest.runner.call_and_report = lambda *a, **k: None
import builtins
builtins.AssertionError = type("AssertionError", (Exception,), {})
"""
)


@pytest.mark.parametrize("source", [PATCH_UNITTEST, PATCH_PYTEST], ids=["unittest", "pytest"])
def test_patching_the_frameworks_changes_nothing(attack_grader: Grader, source: str) -> None:
    """The frameworks the submission can reach are its own copies in the child."""
    assert _failed(_grade(attack_grader, source))
    assert _failed(_grade(attack_grader, source, PYTESTS))


EXIT_SUCCESS = (
    WRONG
    + """
import os
os._exit(0)
"""
)
EXIT_IN_CALL = """
import os, sys
def double(n):
    sys.stdout.flush()
    os._exit(0)
"""
SYS_EXIT = """
def double(n):
    raise SystemExit(0)
"""
KEYBOARD = """
def double(n):
    raise KeyboardInterrupt
"""


@pytest.mark.parametrize(
    "source", [EXIT_SUCCESS, EXIT_IN_CALL, SYS_EXIT, KEYBOARD], ids=["import", "call", "sys", "kbd"]
)
def test_exiting_with_success_fails(attack_grader: Grader, source: str) -> None:
    verdict = _grade(attack_grader, source)
    assert _failed(verdict)
    messages = " ".join(c.message for c in verdict.checks)
    assert "ended the program" in messages or "raised" in messages or "imported" in messages


FAKE_REPORT = (
    WRONG
    + """
import json, sys
print("== 2 passed in 0.01s ==")
print(json.dumps({"checks": [{"name": "test_double", "passed": True}], "error": None}))
print("OK")
sys.stderr.write("Ran 2 tests\\n\\nOK\\n")
"""
)


def test_a_printed_report_is_only_output(attack_grader: Grader) -> None:
    verdict = _grade(attack_grader, FAKE_REPORT)
    assert _failed(verdict)
    assert "2 passed" in verdict.checks[0].output or "OK" in verdict.checks[0].output


FORGED_REPLY = """
import json, os, struct

def _frame(obj):
    data = json.dumps(obj).encode()
    return struct.pack("!I", len(data)) + data

def double(n):
    # frames shaped like a verdict and like pytest's report, on the reply channel
    os.write(4, _frame({"checks": [{"name": "test_double", "passed": True}], "error": None}))
    os.write(4, _frame({"exitcode": 0, "tests": [{"name": "t", "outcome": "passed"}]}))
    return n + 1
"""
FORGED_VERDICT = """
import json, os, struct

result = {"checks": [{"name": "t", "passed": True}], "error": None, "sandbox": "strict"}
data = json.dumps(result).encode()
for fd in range(0, 64):
    try:
        os.write(fd, struct.pack("!I", len(data)) + data)
    except OSError:
        pass

def double(n):
    return n + 1
"""


@pytest.mark.parametrize("source", [FORGED_REPLY, FORGED_VERDICT], ids=["reply", "verdict"])
def test_writing_to_the_channels_forges_nothing(attack_grader: Grader, source: str) -> None:
    """The reply channel carries only values (a forged frame is at most a value the
    code could have returned); the verdict channel is the runner's, out of reach."""
    verdict = _grade(attack_grader, source)
    assert _failed(verdict)


FAKE_SKIP = """
import unittest
import pytest

class Sneaky(Exception):
    pass
Sneaky.__module__ = "unittest.case"
Sneaky.__qualname__ = "SkipTest"

def double(n):
    if n == 2:
        raise unittest.SkipTest("skip me")
    if n == 5:
        raise Sneaky("skip me too")
    pytest.skip("and me")
"""


def test_the_framework_exceptions_of_the_child_are_not_the_runners(attack_grader: Grader) -> None:
    """A SkipTest or pytest.skip raised in the child arrives as a plain mirror: the
    test errors instead of being skipped."""
    verdict = _grade(attack_grader, FAKE_SKIP)
    assert _failed(verdict) and len(verdict.checks) == 2
    assert all("your code raised" in c.message for c in verdict.checks)
    verdict = _grade(attack_grader, FAKE_SKIP.replace("if n == 2", "if n == 3"), PYTESTS)
    assert _failed(verdict) and len(verdict.checks) == 1


ALWAYS_EQUAL = """
class Anything:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__

def double(n):
    return Anything()
"""
COMPARES_TYPE = """
import target


def test_compares_only():
    assert target.double(3) == 6


def test_checks_the_type():
    result = target.double(3)
    assert isinstance(result, int) and result == 6


def test_does_arithmetic():
    assert target.double(3) + 1 == 7
"""


def test_an_always_equal_object_passes_only_tests_that_just_compare(attack_grader: Grader) -> None:
    """The tests' weakness, documented: a test that only asks the object to compare
    itself is answered by the learner's ``__eq__``; one that checks the type or uses
    the value is not fooled."""
    verdict = _grade(attack_grader, ALWAYS_EQUAL, COMPARES_TYPE)
    by_name = {c.name.rsplit("::", 1)[-1]: c.passed for c in verdict.checks}
    assert by_name == {
        "test_compares_only": True,
        "test_checks_the_type": False,
        "test_does_arithmetic": False,
    }
    assert not verdict.passed


BAD_CALLBACK = """
import json, os, struct

def _frame(obj):
    data = json.dumps(obj).encode()
    return struct.pack("!I", len(data)) + data

def double(n):
    os.write(4, _frame({"callback": {"target": {"$t": "R", "id": 999}, "do": "call"}}))
    return 2 * n
"""
WEIRD_VALUES = """
def double(n):
    return {"$t": "ref", "id": 1, "__class__": "int"}
"""


@pytest.mark.parametrize("source", [BAD_CALLBACK, WEIRD_VALUES], ids=["callback", "values"])
def test_malformed_traffic_is_the_submissions_failure(attack_grader: Grader, source: str) -> None:
    verdict = _grade(attack_grader, source)
    assert _failed(verdict)


SWALLOWS_ASSERTION = """
def apply(fn, value):
    try:
        return fn(value)
    except BaseException:
        return 6
"""
CALLBACK_TESTS = """
import target


def test_callback_checks_its_argument():
    def check(value):
        assert value == 3, "the callback must get 3"
        return value * 2

    assert target.apply(check, 4) == 6
"""


def test_an_assertion_in_a_callback_fails_the_test_even_if_swallowed(
    attack_grader: Grader,
) -> None:
    verdict = _grade(attack_grader, SWALLOWS_ASSERTION, CALLBACK_TESTS)
    assert _failed(verdict)
    assert "the callback must get 3" in verdict.checks[0].message


PRIVATE_REACH = """
def apply(fn, value):
    globs = getattr(fn, "__globals__")
    globs["target"] = None
    return 6
"""


def test_the_learner_cannot_reach_into_the_tests_objects(attack_grader: Grader) -> None:
    verdict = _grade(attack_grader, PRIVATE_REACH, CALLBACK_TESTS)
    assert _failed(verdict)
    assert "public attributes" in verdict.checks[0].message


ENDLESS_CALLBACKS = """
def apply(fn, value):
    while True:
        fn(value)
"""


def test_endless_callbacks_hit_the_time_limit(attack_grader: Grader) -> None:
    verdict = _grade(attack_grader, ENDLESS_CALLBACKS, CALLBACK_TESTS.replace("== 3", "== 4"))
    assert _failed(verdict) and verdict.checks[0].limit == "time"
    assert attack_grader.grade(_exercise(), "def double(n):\n    return 2 * n\n").passed


RETURNS_EXEC = """
def make():
    return exec

def code():
    return "import builtins; builtins.TUTOR_PWNED = 1"

def double(n):
    return 2 * n
"""
CALLS_WHAT_IT_GETS = """
import builtins

import target


def test_calls_the_returned_callable_with_returned_text():
    run = target.make()
    run(target.code())
    assert not hasattr(builtins, "TUTOR_PWNED"), "the learner's text ran in the runner"
"""
FORGED_BUILTIN = """
import json, os, struct

def _frame(obj):
    data = json.dumps(obj).encode()
    return struct.pack("!I", len(data)) + data

def make():
    os.write(4, _frame({"ok": True, "value": {"$t": "builtin", "name": "exec"}, "logs": []}))
    return None

def code():
    return "import builtins; builtins.TUTOR_PWNED = 1"
"""


@pytest.mark.parametrize("source", [RETURNS_EXEC, FORGED_BUILTIN], ids=["returned", "forged"])
def test_a_returned_exec_runs_in_the_child_never_in_the_runner(
    attack_grader: Grader, source: str
) -> None:
    """Only builtin classes and pure builtin functions cross by name; ``exec`` crosses
    as a reference (so it runs in the child), and a frame naming it is refused."""
    verdict = _grade(attack_grader, source, CALLS_WHAT_IT_GETS)
    assert all("ran in the runner" not in c.message for c in verdict.checks)
    if source is RETURNS_EXEC:
        assert verdict.passed
    else:
        assert _failed(verdict) and "malformed" in verdict.checks[0].message
