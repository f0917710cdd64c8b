"""``tutor check-course``: prove that a course's exercises and examples do what they claim.

Every code exercise's solution passes and its starter fails; every common mistake
triggers on its sample and its pattern compiles for RE2 (the linear-time engine
patterns run on, see :mod:`exercises.patterns`); every runnable Python example in an
authored lesson runs cleanly in the sandbox; every quiz question has a correct answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from curriculum.model import CodeExercise, Course, Limits, QuizExercise, QuizQuestion
from exercises import patterns
from exercises.grade import Grader, GraderError
from exercises.mistakes import detect_mistakes
from exercises.patterns import pattern_problem
from exercises.verdict import Verdict

EXAMPLE_CHECKS = """
def test_runs_cleanly(submission):
    result = submission.run()
    assert result.returncode == 0, "the example failed:\\n" + result.stderr[-1500:]
"""
EXAMPLE_LIMITS = Limits(time_s=10.0, memory_mb=512, output_kb=256)


@dataclass(frozen=True)
class ProofItem:
    """One claim about the course and whether it held."""

    what: str
    where: str
    ok: bool
    detail: str = ""


@dataclass
class CourseProof:
    course_id: str
    items: list[ProofItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def failures(self) -> list[ProofItem]:
        return [item for item in self.items if not item.ok]


def _failing(verdict: Verdict) -> str:
    lines = [f"{c.name}: {c.message}" for c in verdict.failed_checks]
    return "\n".join(lines)


def _prove_code(grader: Grader, exercise: CodeExercise) -> list[ProofItem]:
    where = f"exercise {exercise.id}"
    items: list[ProofItem] = []
    try:
        solution = grader.grade(exercise, str(exercise.solution))
        items.append(ProofItem("the solution passes", where, solution.passed, _failing(solution)))
        items.append(_prove_starter(grader, exercise, where))
        for number, mistake in enumerate(exercise.mistakes, start=1):
            sample = str(mistake.sample)
            if mistake.failing_check is None:
                hit = mistake.message in detect_mistakes(exercise, sample, [])
                detail = "" if hit else f"the pattern {mistake.pattern!r} does not match the sample"
            else:
                verdict = grader.grade(exercise, sample, only=mistake.failing_check)
                hit = mistake.message in verdict.mistakes
                detail = "" if hit else _mistake_miss(verdict, mistake.failing_check)
            items.append(ProofItem(f"mistake {number} triggers on its sample", where, hit, detail))
    except GraderError as exc:
        items.append(ProofItem("the checks run", where, False, str(exc)))
    return items


def _prove_starter(grader: Grader, exercise: CodeExercise, where: str) -> ProofItem:
    """The starter fails, or, for a refactoring exercise (``starter_passes``), passes."""
    if exercise.starter_passes:
        starter = grader.grade(exercise, str(exercise.starter))
        detail = _failing(starter)
        return ProofItem("the starter passes (starter_passes)", where, starter.passed, detail)
    starter = grader.grade(exercise, str(exercise.starter), fail_fast=True)
    detail = "" if not starter.passed else "every check passes on the starter"
    return ProofItem("the starter fails", where, not starter.passed, detail)


def _prove_patterns(exercise: CodeExercise) -> list[ProofItem]:
    """Each mistake pattern compiles for RE2, the linear-time engine it runs on, and does
    not match the untouched starter (or the mistake's message greets every learner)."""
    items = []
    where = f"exercise {exercise.id}"
    starter = str(exercise.starter)
    for number, mistake in enumerate(exercise.mistakes, start=1):
        if mistake.pattern is not None:
            problem = pattern_problem(mistake.pattern)
            what = f"mistake {number}'s pattern runs in linear time"
            items.append(ProofItem(what, where, not problem, problem))
            if not problem:
                hit = patterns.search(mistake.pattern, starter)
                detail = f"the pattern {mistake.pattern!r} matches the starter" if hit else ""
                what = f"mistake {number}'s pattern does not match the starter"
                items.append(ProofItem(what, where, not hit, detail))
    return items


def _mistake_miss(verdict: Verdict, failing_check: str | None) -> str:
    names = [c.name for c in verdict.checks]
    if failing_check is not None and failing_check not in names:
        return f"no check named {failing_check!r} (checks: {', '.join(names)})"
    failed = ", ".join(c.name for c in verdict.failed_checks) or "none"
    return f"the sample did not trigger it (failed checks: {failed})"


def _prove_example(grader: Grader, where: str, source: str) -> ProofItem:
    what = "the example runs cleanly"
    try:
        checks = grader.run_checks(checks=EXAMPLE_CHECKS, source=source, limits=EXAMPLE_LIMITS)
    except GraderError as exc:
        return ProofItem(what, where, False, str(exc))
    if not checks:
        return ProofItem(what, where, False, "the example's check did not run")
    check = checks[0]
    detail = check.message
    output = check.output.strip()
    if not check.passed and output:
        detail += "\noutput:\n" + output[-1500:]
    return ProofItem(what, where, check.passed, detail)


def question_problem(question: QuizQuestion) -> str:
    """Why a quiz question has no correct answer, or '' if it has one."""
    correct = sum(option.correct for option in question.options)
    if question.type == "single" and correct != 1:
        return f"a single-choice question needs exactly one correct option, it has {correct}"
    if question.type == "multiple" and correct < 1:
        return "a multiple-choice question needs at least one correct option"
    if question.type == "short":
        if not question.answers and not question.patterns:
            return "a short-answer question needs accepted answers or patterns"
        for pattern in question.patterns:
            problem = pattern_problem(pattern)
            if problem:
                return problem
    return ""


def _prove_quiz(exercise: QuizExercise) -> list[ProofItem]:
    items = []
    for question in exercise.questions:
        problem = question_problem(question)
        where = f"exercise {exercise.id}, question {question.id}"
        items.append(ProofItem("the question has a correct answer", where, not problem, problem))
    return items


def _examples(course: Course) -> Iterator[tuple[str, str]]:
    for ref in course.outline.points:
        lesson = ref.point.lesson
        if lesson is not None and lesson.code.runnable:
            where = f"lesson {ref.section.id}/{ref.topic.id}/{ref.point.id}"
            yield where, str(lesson.code.source)


def prove_course(course: Course, grader: Grader, workers: int = 2) -> CourseProof:
    """Check every claim of the course; code runs in the sandbox through ``grader``."""
    proof = CourseProof(course.id)
    tasks: list[Callable[[], list[ProofItem]]] = []
    for exercise in (ref.exercise for ref in course.outline.exercises):
        if isinstance(exercise, CodeExercise):
            proof.items += _prove_patterns(exercise)
            tasks.append(lambda e=exercise: _prove_code(grader, e))  # type: ignore[misc]
        elif isinstance(exercise, QuizExercise):
            proof.items += _prove_quiz(exercise)
    for where, source in _examples(course):
        tasks.append(lambda w=where, s=source: [_prove_example(grader, w, s)])  # type: ignore[misc]
    with ThreadPoolExecutor(max_workers=workers) as executor:
        for items in executor.map(lambda task: task(), tasks):
            proof.items += items
    return proof
