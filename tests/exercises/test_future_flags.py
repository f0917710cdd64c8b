"""Code run in the sandbox is compiled with its own __future__ imports, not the sandbox's.

The sandbox's modules use ``from __future__ import annotations``; ``compile()`` inherits
the caller's future flags unless told not to, which turned every annotation in learner
code, checks and test files into a string (FastAPI then cannot resolve
``Annotated[..., Depends(local_function)]`` and takes the parameter for a query field).
"""

from __future__ import annotations

from curriculum.model import CodeExercise, Limits
from exercises.grade import Grader

# A function's annotation is the object itself, unless the file asks for postponed ones.
LEARNER = (
    "def kind():\n"
    "    def f(x: int) -> None: ...\n"
    "    return type(f.__annotations__['x']).__name__\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    assert kind() == 'type', kind()\n"
)
CHECKS = (
    "def test_learner_annotations_are_evaluated(submission):\n"
    "    assert submission.call('kind') == 'type'\n"
    "\n"
    "def test_checks_annotations_are_evaluated(submission):\n"
    "    def g(y: int) -> None: ...\n"
    "    assert g.__annotations__['y'] is int\n"
)
RUN_CHECKS = (
    "def test_runs(submission):\n"
    "    result = submission.run()\n"
    "    assert result.returncode == 0, result.stderr\n"
)
TESTS = (
    "from subject import kind\n"
    "\n"
    "def test_learner_module():\n"
    "    assert kind() == 'type'\n"
    "\n"
    "def test_test_file():\n"
    "    def g(y: int) -> None: ...\n"
    "    assert g.__annotations__['y'] is int\n"
)
LIMITS = Limits(time_s=5, memory_mb=256, output_kb=16)


def _exercise(**fields: object) -> CodeExercise:
    base: dict[str, object] = {
        "kind": "code",
        "id": "subject",
        "title": "Subject",
        "prompt": "p",
        "starter": "",
        "solution": LEARNER,
        "limits": LIMITS,
    }
    return CodeExercise.model_validate(base | fields)


def test_module_mode_checks_and_learner_code_keep_real_annotations(grader: Grader) -> None:
    verdict = grader.grade(_exercise(checks=CHECKS), LEARNER)
    assert verdict.passed, [(c.name, c.message) for c in verdict.checks]
    assert len(verdict.checks) == 2


def test_a_script_run_keeps_real_annotations(grader: Grader) -> None:
    (result,) = grader.run_checks(checks=RUN_CHECKS, source=LEARNER, limits=LIMITS)
    assert result.passed, result.message


def test_testfile_mode_keeps_real_annotations(grader: Grader) -> None:
    exercise = _exercise(mode="testfile", tests={"test_subject.py": TESTS})
    verdict = grader.grade(exercise, LEARNER)
    assert verdict.passed, [(c.name, c.message) for c in verdict.checks]
    assert len(verdict.checks) == 2
