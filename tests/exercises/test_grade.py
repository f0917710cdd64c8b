"""Grading code exercises end to end: real runner processes, real sandboxed children."""

from __future__ import annotations

import asyncio

import pytest

from curriculum import Course
from curriculum.model import CodeExercise
from exercises.grade import ExerciseNotFound, Grader, GraderError, find_code_exercise
from tests.exercises.conftest import code_exercise

ADD_WRONG = "def add(a, b):\n    return a - b\n"


def test_solution_passes_with_every_check_listed(mini: Course, grader: Grader) -> None:
    verdict = grader.grade(code_exercise(mini, "add-numbers"), "def add(a, b):\n    return a + b\n")
    assert verdict.passed
    assert [c.name for c in verdict.checks] == [
        "test_adds_small_numbers",
        "test_adds_negative_numbers",
        "test_rejects_text_with_type_error",
    ]
    assert verdict.hints == []
    assert not verdict.weak_sandbox


def test_failure_reports_compared_values_mistake_and_first_hint(
    mini: Course, grader: Grader
) -> None:
    verdict = grader.grade(code_exercise(mini, "add-numbers"), ADD_WRONG)
    assert not verdict.passed
    first = verdict.checks[0]
    assert not first.passed
    assert "assert -1 == 5" in first.details  # the internals, apart
    assert first.message == ("expected `5`, got `-1`. Your code: `add(2, 3)` returned `-1`.")
    assert verdict.mistakes == ["You subtract instead of adding."]
    assert verdict.hints == ["Use the `+` operator."]
    assert not verdict.solution_available


def test_hints_are_revealed_in_steps_then_the_solution(mini: Course, grader: Grader) -> None:
    verdict = grader.grade(code_exercise(mini, "add-numbers"), ADD_WRONG, attempt=3)
    assert len(verdict.hints) == 2
    assert verdict.solution_available


def test_pattern_and_check_must_both_match_for_a_mistake(mini: Course, grader: Grader) -> None:
    verdict = grader.grade(code_exercise(mini, "add-numbers"), "def add(a, b):\n    print(a + b)\n")
    assert "You print the sum instead of returning it." in verdict.mistakes


def test_printed_output_is_captured(mini: Course, grader: Grader) -> None:
    source = "def add(a, b):\n    print('debugging', a, b)\n    return a * b\n"
    verdict = grader.grade(code_exercise(mini, "add-numbers"), source)
    assert not verdict.passed
    assert "debugging 2 3" in verdict.output


def test_syntax_error_is_a_clear_failure(mini: Course, grader: Grader) -> None:
    verdict = grader.grade(code_exercise(mini, "add-numbers"), "def add(a, b)\n    return a + b\n")
    assert not verdict.passed
    assert "could not be imported" in verdict.checks[0].message
    assert "SyntaxError" in verdict.checks[0].message


def test_fastapi_app_http_lifespan_and_logs(mini: Course, grader: Grader) -> None:
    solution = code_exercise(mini, "items-api").solution
    verdict = grader.grade(code_exercise(mini, "items-api"), str(solution))
    assert verdict.passed, verdict.checks


def test_fastapi_mistake_is_detected(mini: Course, grader: Grader) -> None:
    source = (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/items/{item_id}')\ndef read(item_id):\n    return {'id': item_id}\n"
    )
    verdict = grader.grade(code_exercise(mini, "items-api"), source)
    failed = [c.name for c in verdict.checks if not c.passed]
    assert "test_rejects_non_integer_id" in failed
    assert verdict.mistakes


def test_run_as_main_with_stdin(mini: Course, grader: Grader) -> None:
    source = "import sys\nfor line in sys.stdin:\n    print(line.strip().upper())\n"
    assert grader.grade(code_exercise(mini, "shout-lines"), source).passed


def test_tests_mode_requires_catching_every_broken_implementation(
    mini: Course, grader: Grader
) -> None:
    weak_tests = (
        "import pytest\nimport app_under_test\n\n"
        "@pytest.mark.parametrize('a', [2])\ndef test_add(a):\n"
        "    assert app_under_test.add(a, 3) == 5\n"
    )
    verdict = grader.grade(code_exercise(mini, "test-the-adder"), weak_tests)
    by_name = {c.name: c.passed for c in verdict.checks}
    assert by_name["your tests pass on the reference implementation"]
    assert by_name["your tests catch the broken implementation 'subtracts'"]
    assert not by_name["your tests catch the broken implementation 'ignores-negatives'"]
    assert not verdict.passed


def test_tests_mode_rejects_tests_that_fail_on_the_reference(mini: Course, grader: Grader) -> None:
    wrong = "import app_under_test\n\ndef test_add():\n    assert app_under_test.add(2, 2) == 5\n"
    verdict = grader.grade(code_exercise(mini, "test-the-adder"), wrong)
    reference = verdict.checks[0]
    assert not reference.passed
    assert "fail on a correct implementation" in reference.message


def test_unknown_or_non_code_exercise_is_refused(mini: Course, grader: Grader) -> None:
    with pytest.raises(ExerciseNotFound):
        find_code_exercise(mini, "no-such-exercise")
    with pytest.raises(ExerciseNotFound, match="quiz, not a code exercise"):
        find_code_exercise(mini, "basics-quiz")


def test_async_variant_gives_the_same_verdict(mini: Course, grader: Grader) -> None:
    async def both() -> list[bool]:
        a = grader.agrade(code_exercise(mini, "add-numbers"), ADD_WRONG)
        b = grader.agrade(code_exercise(mini, "add-numbers"), "def add(a, b):\n    return a + b\n")
        return [v.passed for v in await asyncio.gather(a, b)]

    assert asyncio.run(both()) == [False, True]


def test_source_with_a_lone_surrogate_gets_a_clear_verdict(mini: Course, grader: Grader) -> None:
    verdict = grader.grade(
        code_exercise(mini, "add-numbers"), "def add(a, b):\n    return a + b  # \udcff\n"
    )
    assert not verdict.passed
    assert "could not be imported" in verdict.checks[0].message


def test_a_checks_file_that_does_not_compile_is_a_grader_error(grader: Grader) -> None:
    exercise = code_exercise_from("def test_x(submission)\n    pass\n")
    with pytest.raises(GraderError, match="the checks file is broken"):
        grader.grade(exercise, "x = 1\n")


def code_exercise_from(checks: str) -> CodeExercise:
    return CodeExercise(
        kind="code", id="x", title="X", prompt="p", starter="", solution="", checks=checks
    )


def test_call_passes_keyword_arguments_of_any_name(grader: Grader) -> None:
    checks = (
        "def test_greets(submission):\n"
        "    assert submission.call('greet', name='Ada', app_name='x') == 'hi Ada from x'\n"
    )
    source = "def greet(name, app_name):\n    return f'hi {name} from {app_name}'\n"
    assert grader.grade(code_exercise_from(checks), source).passed


def test_basic_config_in_the_submission_still_works_and_logs_are_captured(
    grader: Grader,
) -> None:
    checks = (
        "def test_logs(submission):\n"
        "    result = submission.run()\n"
        "    assert result.stderr == 'INFO|other|hidden\\nWARNING|app|careful\\n'\n"
        "    assert [(r['level'], r['message']) for r in submission.logs] == [\n"
        "        ('INFO', 'hidden'), ('WARNING', 'careful')]\n"
    )
    source = (
        "import logging\n"
        "logging.basicConfig(format='%(levelname)s|%(name)s|%(message)s', level=logging.INFO)\n"
        "log = logging.getLogger('app')\nlog.setLevel(logging.WARNING)\n"
        "logging.getLogger('other').info('hidden')\nlog.warning('careful')\n"
    )
    verdict = grader.grade(code_exercise_from(checks), source)
    assert verdict.passed, verdict.checks


def test_only_and_fail_fast_run_fewer_checks(mini: Course, grader: Grader) -> None:
    exercise = code_exercise(mini, "add-numbers")
    one = grader.grade(exercise, ADD_WRONG, only="test_adds_negative_numbers")
    assert [c.name for c in one.checks] == ["test_adds_negative_numbers"]
    first = grader.grade(exercise, ADD_WRONG, fail_fast=True)
    assert [c.name for c in first.checks] == ["test_adds_small_numbers"]
    assert not first.passed


def test_learner_exceptions_name_the_line(mini: Course, grader: Grader) -> None:
    source = "def add(a, b):\n    x = 1\n    raise ValueError('nope')\n"
    verdict = grader.grade(code_exercise(mini, "add-numbers"), source)
    assert verdict.checks[0].message == "your code raised ValueError: nope (line 3)"
    broken = grader.grade(code_exercise(mini, "add-numbers"), "x = 1\nundefined_name\n")
    assert broken.checks[0].message == (
        "your code could not be imported: NameError: name 'undefined_name' is not defined (line 2)"
    )


# --- Run: the learner's program, not graded -----------------------------------------------


def test_run_shows_output_and_errors_without_grading(mini: Course, grader: Grader) -> None:
    exercise = code_exercise(mini, "add-numbers")
    out = grader.run(exercise, "import sys\nprint('hello')\nprint('careful', file=sys.stderr)\n")
    assert out.ok
    assert out.output == "hello\n"
    assert out.errors == "careful\n"
    assert out.limit_hit is None
    failed = grader.run(exercise, "def add(a, b):\n    return a + b\nprint(add(1))\n")
    assert not failed.ok
    assert "TypeError" in failed.errors
    assert "line 3" in failed.errors
    assert "exit status 1" in failed.errors
    broken = grader.run(exercise, "def add(:\n")
    assert not broken.ok
    assert "SyntaxError" in broken.errors


def test_run_is_bounded_like_a_check(mini: Course, grader: Grader) -> None:
    exercise = code_exercise(mini, "add-numbers")
    endless = grader.run(exercise, "while True:\n    pass\n")
    assert not endless.ok
    assert endless.limit_hit is not None and "never finished" in endless.limit_hit
    loud = grader.run(exercise, "print('x' * 1_000_000)\n")
    assert loud.ok
    assert loud.truncated
    assert len(loud.output) <= 4000
    hungry = grader.run(exercise, "block = bytearray(2 * 1024 ** 3)\n")
    assert not hungry.ok
    assert "MemoryError" in hungry.errors  # the memory limit held


def test_run_of_a_tests_exercise_can_import_the_code_under_test(
    mini: Course, grader: Grader
) -> None:
    exercise = code_exercise(mini, "test-the-adder")
    assert exercise.mode == "tests"
    out = grader.run(exercise, "import app_under_test\nprint(app_under_test.__name__)\n")
    assert out.ok, out.errors
    assert out.output == "app_under_test\n"
