"""``mode: testfile``: instructor test files, unchanged, against the learner's module.

Graded in the real strict sandbox: the fixture course's unittest (clock) and pytest
(ledger) exercises, then values, references, exceptions, limits and messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import Course, load_course
from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader, GraderError, find_code_exercise
from exercises.prove import prove_course
from exercises.verdict import Verdict

COURSE = Path(__file__).parent / "fixtures" / "testfile"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(COURSE)


@pytest.fixture(scope="module")
def tf_grader() -> Iterator[Grader]:
    with Grader("strict", runners=1) as grader:
        yield grader


def _exercise(tests: str, solution: str = "", time_s: float = 2) -> CodeExercise:
    return CodeExercise(
        kind="code",
        id="subject",
        title="Subject",
        prompt="Pass the tests.",
        mode="testfile",
        starter="",
        solution=solution,
        tests={"test_subject.py": tests},
        limits=Limits(time_s=time_s, memory_mb=128, output_kb=16),
    )


def _by_name(verdict: Verdict) -> dict[str, tuple[bool, str]]:
    return {c.name.rsplit("::", 1)[-1]: (c.passed, c.message) for c in verdict.checks}


@pytest.mark.parametrize("exercise_id", ["clock", "ledger"])
def test_the_fixture_course_reference_passes_and_starter_fails(
    course: Course, tf_grader: Grader, exercise_id: str
) -> None:
    exercise = find_code_exercise(course, exercise_id)
    solution = tf_grader.grade(exercise, str(exercise.solution))
    assert solution.passed, [c.message for c in solution.failed_checks]
    assert len(solution.checks) >= 8
    starter = tf_grader.grade(exercise, str(exercise.starter))
    assert not starter.passed and all(not c.passed for c in starter.checks)


def test_check_course_proves_testfile_exercises(course: Course, tf_grader: Grader) -> None:
    proof = prove_course(course, tf_grader, workers=1)
    assert proof.ok, [(i.what, i.where, i.detail) for i in proof.failures]
    whats = [i.what for i in proof.items]
    assert whats.count("the solution passes") == 2 and whats.count("the starter fails") == 2
    assert "mistake 1 triggers on its sample" in whats


VALUES = """
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import subject

SAMPLES = [
    None, True, 3, 2**80, -1.5, float("inf"), "é", b"\\x00\\xff", 1 + 2j, Decimal("1.10"),
    Fraction(2, 3), dt.date(2024, 2, 29), dt.datetime(2024, 1, 1, 23, 59, 59, 5),
    dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))), dt.time(7, 30),
    dt.timedelta(days=-1, seconds=5), (1, (2, [3])), [1, (2,)], {1, 2}, frozenset({"a"}),
    {1: "a", (2, 3): [4], frozenset({5}): None, dt.date(2024, 1, 1): b"x"},
]


def test_values_cross_unchanged():
    for value in SAMPLES:
        back = subject.echo(value)
        assert back == value and type(back) is type(value), value
        if isinstance(value, dict):
            assert [type(k) for k in back] == [type(k) for k in value]


def test_nested_types_are_kept():
    back = subject.echo({"t": (1, 2), "s": {3}})
    assert type(back["t"]) is tuple and type(back["s"]) is set
"""


def test_values_cross_faithfully(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(VALUES), "def echo(value):\n    return value\n")
    assert verdict.passed, [c.message for c in verdict.failed_checks]


OBJECTS = """
import json

import pytest

import subject
from subject import Stack, StackEmpty


def test_instances_methods_and_attributes():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    assert len(stack) == 2 and stack.top == 2 and 1 in stack
    assert list(stack) == [2, 1] and stack[0] == 1
    assert str(stack) == "Stack[1, 2]" and repr(stack) == "<Stack of 2>"
    assert isinstance(stack, Stack) and not isinstance(3, Stack)
    assert bool(Stack()) is False and stack
    assert callable(Stack) and not callable(stack) and callable(stack.push)
    assert hasattr(stack, "__len__") and not hasattr(stack.push, "__len__")
    assert not hasattr(subject.same, "__iter__") and hasattr(iter(stack), "__next__")

def test_identity_and_hashing():
    stack = Stack()
    assert subject.same(stack) is stack
    assert {stack: 1}[stack] == 1
    assert subject.LIMIT == 3 and subject.NAMES == ("a", "b")

def test_learner_exception_class_and_args():
    with pytest.raises(StackEmpty) as caught:
        Stack().pop()
    assert caught.value.args == ("empty", 0)
    assert isinstance(caught.value, LookupError) and caught.value.depth == 0
    with pytest.raises(subject.StackFull):
        s = Stack()
        for n in range(5):
            s.push(n)

def test_builtin_exception_and_context_manager():
    with pytest.raises(KeyError, match="missing"):
        subject.lookup("missing")
    with pytest.raises(json.JSONDecodeError):
        subject.parse("{")
    with Stack() as s:
        s.push(1)
    assert s.closed is True

def test_callbacks_and_setattr():
    stack = Stack()
    for n in (3, 1, 2):
        stack.push(n)
    assert stack.sorted_by(lambda n: -n) == [3, 2, 1]
    stack.label = "mine"
    assert stack.label == "mine"
"""
STACK = """
LIMIT = 3
NAMES = ("a", "b")


class StackEmpty(LookupError):
    def __init__(self, message, depth):
        super().__init__(message, depth)
        self.depth = depth


class StackFull(Exception):
    pass


class Stack:
    def __init__(self):
        self.items = []
        self.closed = False

    def push(self, item):
        if len(self.items) >= LIMIT:
            raise StackFull(item)
        self.items.append(item)

    def pop(self):
        if not self.items:
            raise StackEmpty("empty", 0)
        return self.items.pop()

    @property
    def top(self):
        return self.items[-1]

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return reversed(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __str__(self):
        return f"Stack{self.items}"

    def __repr__(self):
        return f"<Stack of {len(self.items)}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True

    def sorted_by(self, key):
        return sorted(self.items, key=key)


def same(thing):
    return thing


def lookup(name):
    raise KeyError(name)


def parse(text):
    import json
    return json.loads(text)
"""


def test_objects_through_references(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(OBJECTS), STACK)
    assert verdict.passed, [(c.name, c.message) for c in verdict.failed_checks]


LIMITED = """
import subject


def test_first():
    assert subject.work(1) == 1


def test_endless():
    assert subject.work(0) == 0


def test_after_the_limit():
    assert subject.work(2) == 2
    assert subject.Thing().value == 5


def test_printing():
    assert subject.shout(3) == 3
"""
LIMITED_SOURCE = """
class Thing:
    value = 5

def work(n):
    while n == 0:
        pass
    return n

def shout(n):
    print("hello " * n)
    return n
"""


def test_a_limit_fails_one_test_and_the_next_gets_a_fresh_child(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(LIMITED, time_s=0.5), LIMITED_SOURCE)
    checks = {c.name.rsplit("::", 1)[-1]: c for c in verdict.checks}
    assert checks["test_first"].passed and checks["test_after_the_limit"].passed
    endless = checks["test_endless"]
    assert not endless.passed and endless.limit == "time"
    assert "never finished" in endless.message
    assert checks["test_printing"].output.startswith("hello hello hello")
    assert checks["test_first"].output == ""


def test_import_errors_and_missing_names_are_the_learners(tf_grader: Grader) -> None:
    broken = tf_grader.grade(_exercise(LIMITED), "def work(n):\n    return n +\n")
    assert [c.name for c in broken.checks] == ["import subject"]
    assert "could not be imported" in broken.checks[0].message
    assert "SyntaxError" in broken.checks[0].message
    assert "SyntaxError in subject.py, line 2" in broken.checks[0].message
    missing = tf_grader.grade(_exercise("from subject import abbreviate\n"), "x = 1\n")
    assert "there is no 'abbreviate' in your code" in missing.checks[0].message


def test_a_broken_test_file_is_a_grader_error(tf_grader: Grader) -> None:
    with pytest.raises(GraderError, match=r"test_subject\.py is broken"):
        tf_grader.grade(_exercise("def test_x(:\n    pass\n"), "x = 1\n")


PATCHING = """
from unittest import mock

import subject


def test_patch_a_function_the_module_uses():
    with mock.patch("subject.source", return_value=41) as fake:
        assert subject.answer() == 42
    fake.assert_called_once_with("question")
    assert subject.answer() == 2


def test_patch_object_and_import_inside():
    import subject as inner

    with mock.patch.object(inner, "source", side_effect=ValueError("no")):
        try:
            inner.answer()
        except ValueError as exc:
            assert str(exc) == "no"
        else:
            raise AssertionError("the mock's exception did not reach the test")
"""
PATCHED = """
def source(question):
    return 1

def answer():
    return source("question") + 1
"""


def test_mock_patch_reaches_the_learners_code(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(PATCHING), PATCHED)
    assert verdict.passed, [(c.name, c.message) for c in verdict.failed_checks]


FILES_CHECKS = """
def test_reads_the_data_file(submission):
    assert submission.call("words") == ["alpha", "beta"]
"""


def test_files_are_placed_read_only_in_module_mode_too(tf_grader: Grader) -> None:
    exercise = CodeExercise(
        kind="code",
        id="words",
        title="Words",
        prompt="Read words.txt.",
        starter="",
        solution="",
        checks=FILES_CHECKS,
        files={"words.txt": "alpha\nbeta\n"},
    )
    source = (
        "import os\n"
        "def words():\n"
        "    assert not os.access('words.txt', os.W_OK) or os.getuid() == 0\n"
        "    with open('words.txt') as fh:\n"
        "        return fh.read().split()\n"
    )
    verdict = tf_grader.grade(exercise, source)
    assert verdict.passed, [c.message for c in verdict.failed_checks]


MEMORY_AND_OUTPUT = """
import subject


def test_hog():
    assert subject.hog() == 1


def test_chatty():
    assert subject.chatty() == 1


def test_still_fine():
    assert subject.fine() == 1
"""
HOG = """
def hog():
    block = bytearray(400 * 1024 * 1024)
    return len(block)

def chatty():
    print("x" * 100_000)
    return 1

def fine():
    return 1
"""


def test_memory_and_output_limits_hold_per_test(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(MEMORY_AND_OUTPUT), HOG)
    checks = {c.name.rsplit("::", 1)[-1]: c for c in verdict.checks}
    assert checks["test_hog"].limit == "memory" and not checks["test_hog"].passed
    assert "128 MB" in checks["test_hog"].message
    assert checks["test_chatty"].limit == "output" and not checks["test_chatty"].passed
    assert checks["test_still_fine"].passed


ASYNC_TESTS = """
import asyncio
import unittest

import subject


class FetchTest(unittest.IsolatedAsyncioTestCase):
    async def test_await_a_learner_coroutine(self):
        self.assertEqual(await subject.fetch(2), 4)

    async def test_its_exception(self):
        with self.assertRaises(TimeoutError):
            await subject.fetch(-1)


def test_from_a_plain_test():
    async def main():
        return await subject.fetch(3)

    assert asyncio.run(main()) == 6
"""
ASYNC_SOURCE = """
import asyncio

async def fetch(n):
    await asyncio.sleep(0)
    if n < 0:
        raise TimeoutError("too slow")
    return 2 * n
"""


def test_awaiting_learner_coroutines(tf_grader: Grader) -> None:
    verdict = tf_grader.grade(_exercise(ASYNC_TESTS), ASYNC_SOURCE)
    assert verdict.passed, [(c.name, c.message) for c in verdict.failed_checks]
    assert len(verdict.checks) == 3


def test_the_weak_sandbox_runs_testfile_exercises_too(course: Course) -> None:
    """Where the kernel refuses namespaces: the runner imports before confinement what
    test files commonly need (unittest.mock, decimal...), as it may not read the
    standard library afterwards."""
    with Grader("weak", runners=1, simulate_refusal=True) as grader:
        for exercise_id in ("clock", "ledger"):
            exercise = find_code_exercise(course, exercise_id)
            verdict = grader.grade(exercise, str(exercise.solution))
            assert verdict.passed and verdict.weak_sandbox, verdict.failed_checks
            assert not grader.grade(exercise, str(exercise.starter)).passed


SKIPPING = """
import unittest

import pytest

import subject


@pytest.mark.skip(reason="not this one")
def test_skipped_by_a_mark():
    assert False


class Cases(unittest.TestCase):
    @unittest.skip("later")
    def test_skipped_by_unittest(self):
        self.fail()

    def test_counted(self):
        self.assertEqual(subject.VALUE, 1)
"""
SECOND = """
from helper import expected

import subject


def test_in_a_second_file():
    assert subject.VALUE == expected()
"""


def test_skipped_tests_are_left_out_and_files_add_up(tf_grader: Grader) -> None:
    exercise = CodeExercise(
        kind="code",
        id="subject",
        title="Subject",
        prompt="VALUE = 1",
        mode="testfile",
        starter="",
        solution="VALUE = 1\n",
        tests={"test_first.py": SKIPPING, "test_second.py": SECOND},
        files={"helper.py": "def expected():\n    return 1\n"},
    )
    verdict = tf_grader.grade(exercise, "VALUE = 1\n")
    assert [c.name for c in verdict.checks] == [
        "test_first.py::Cases::test_counted",
        "test_second.py::test_in_a_second_file",
    ]
    assert verdict.passed


@pytest.mark.parametrize(
    ("module", "files"),
    [("json", {}), ("pytest", {}), ("subject", {"random.py": "x = 1\n"})],
)
def test_names_the_grader_uses_are_refused(module: str, files: dict[str, str]) -> None:
    """A stand-in under ``json`` would hide the runner's own json for a job."""
    with pytest.raises(ValueError, match="a module the grader uses"):
        CodeExercise(
            kind="code",
            id="subject",
            title="Subject",
            prompt="x",
            mode="testfile",
            module=module,
            starter="",
            solution="",
            tests={"test_subject.py": "def test_x():\n    pass\n"},
            files=files,
        )
