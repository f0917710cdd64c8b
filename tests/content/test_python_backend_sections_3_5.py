"""python-backend sections 3-5 (dev tooling, testing, Docker): complete, current, consistent.

The slow proof (solutions pass, starters fail, mistakes trigger, examples run in the
sandbox) is `tutor check-course python-backend`; these tests are the fast structural guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from curriculum import Point, Section, resolve_course
from curriculum.model import CodeExercise, QuizExercise, SelfCheckExercise
from exercises.grade import iter_exercises
from exercises.quiz import short_answer_correct

COURSE = resolve_course("python-backend")
SECTION_IDS = ("dev-tooling", "testing-with-pytest", "docker-and-deployment")
SECTIONS = [s for s in COURSE.sections if s.id in SECTION_IDS]

# The checked code exercises the issue and the brief ask for in these sections.
REQUIRED_CODE_EXERCISES = {
    "resolve-dependency-groups": "module",  # PEP 735 groups with include-group
    "strictly-typed-port-parser": "module",  # mypy --strict style annotations
    "fix-lint-findings": "module",  # B006, E722, E711, F401
    "ci-workflow-audit": "module",  # CI checks, not fixes; locked installs
    "testable-notes-app": "module",  # app factory + store dependency
    "weather-advice-override-tests": "tests",  # fixtures + dependency override
    "todo-api-testclient-tests": "tests",  # TestClient, every status code
    "async-api-tests-with-anyio": "tests",  # AsyncClient + ASGITransport, anyio marker
    "isolated-database-tests": "tests",  # SQLModel, in-memory SQLite per test
    "user-api-contract-tests": "tests",  # strict contract model + OpenAPI schema
    "image-tags-for-a-build": "module",  # sha / branch / release tags
}
REQUIRED_QUIZZES_OR_SELF_CHECKS = {
    "project-setup-quiz",
    "static-analysis-quiz",
    "ci-practices-quiz",
    "write-a-ci-workflow",
    "coverage-and-markers-quiz",
    "docker-production-quiz",
    "write-a-multi-stage-dockerfile",
    "compose-api-postgres-redis",
    "compose-startup-quiz",
    "image-pipeline-quiz",
    "image-and-deploy-pipeline",
}

# APIs, commands and versions that are deprecated or outdated; never taught as current.
DEPRECATED = {
    r"\.on_event\(": "on_event is deprecated; use a lifespan",
    r"uvicorn\.workers": "uvicorn.workers is deprecated; use the uvicorn-worker package",
    r"uvicorn\.run\(": "examples must not start a server",
    r"\.dict\(\)": "model.dict() is Pydantic v1; use model_dump()",
    r"class Config\b": "class Config is Pydantic v1; use model_config",
    r"\bdocker-compose\s": "docker-compose v1 is end-of-life; use `docker compose`",
    r"(?m)^version:": "the top-level `version:` key is obsolete in Compose files",
    r"actions/checkout@v[1-6]\b": "actions/checkout has a newer major",
    r"setup-uv@v[1-9]\b": "astral-sh/setup-uv has a newer major",
    r"dev-dependencies": "tool.uv.dev-dependencies is replaced by [dependency-groups]",
    r"get_event_loop\(\)": "use asyncio.run / asyncio.get_running_loop()",
}


def points(section: Section) -> Iterator[Point]:
    for topic in section.topics:
        yield from topic.points


def code_exercises() -> dict[str, CodeExercise]:
    return {
        e.id: e
        for s in SECTIONS
        for t in s.topics
        for e in t.exercises
        if isinstance(e, CodeExercise)
    }


def taught_code() -> Iterator[tuple[str, str]]:
    """Every piece of code a learner is shown as correct: examples, solutions, model answers."""
    for section in SECTIONS:
        for point in points(section):
            assert point.lesson is not None
            yield f"example {point.id}", str(point.lesson.code.source)
        for topic in section.topics:
            for exercise in topic.exercises:
                if isinstance(exercise, CodeExercise):
                    yield f"{exercise.id} solution", str(exercise.solution)
                elif isinstance(exercise, SelfCheckExercise):
                    yield f"{exercise.id} model answer", exercise.model_answer


def test_the_three_sections_are_present() -> None:
    assert [s.id for s in SECTIONS] == list(SECTION_IDS)


def test_every_point_has_a_complete_lesson() -> None:
    for section in SECTIONS:
        for point in points(section):
            lesson = point.lesson
            assert lesson is not None, f"{point.id} has no lesson"
            for part in ("explanation", "walkthrough", "notes", "summary", "try_it"):
                assert getattr(lesson, part).strip(), f"{point.id}: empty {part}"
            code = lesson.code
            if code.language == "python":
                assert code.runnable, f"{point.id}: a Python example should run in the sandbox"


def test_docker_section_examples_are_never_run() -> None:
    docker = next(s for s in SECTIONS if s.id == "docker-and-deployment")
    languages = {}
    for point in points(docker):
        assert point.lesson is not None
        languages[point.id] = point.lesson.code.language
    assert languages["dockerfile-multi-stage"] == "dockerfile"
    assert languages["api-db-compose-setup"] == "yaml"
    assert languages["build-and-push-images"] == "yaml"


def test_every_topic_has_an_exercise_and_code_topics_a_checked_one() -> None:
    code_topics = {"project-setup", "static-analysis", "ci-practices"}
    code_topics |= {t.id for s in SECTIONS if s.id == "testing-with-pytest" for t in s.topics}
    for section in SECTIONS:
        for topic in section.topics:
            assert topic.exercises, f"topic {topic.id} has no exercise"
            if topic.id in code_topics:
                assert any(isinstance(e, CodeExercise) for e in topic.exercises), topic.id


def test_required_exercises_exist() -> None:
    code = code_exercises()
    assert {k: v.mode for k, v in code.items()} == REQUIRED_CODE_EXERCISES
    others = {
        e.id
        for s in SECTIONS
        for t in s.topics
        for e in t.exercises
        if not isinstance(e, CodeExercise)
    }
    assert others == REQUIRED_QUIZZES_OR_SELF_CHECKS


def test_code_exercises_have_hints_and_mistakes() -> None:
    for exercise in code_exercises().values():
        assert 2 <= len(exercise.hints) <= 3, f"{exercise.id}: 2-3 hints"
        assert 1 <= len(exercise.mistakes) <= 3, f"{exercise.id}: 1-3 mistakes"
        for mistake in exercise.mistakes:
            if mistake.pattern is not None:
                assert re.search(mistake.pattern, str(mistake.sample)), exercise.id
                assert not re.search(mistake.pattern, str(exercise.solution)), exercise.id


def test_tests_mode_exercises_have_a_reference_and_broken_implementations() -> None:
    for exercise in code_exercises().values():
        if exercise.mode != "tests":
            assert not exercise.implementations, exercise.id
            continue
        assert "reference" in exercise.implementations, exercise.id
        assert len(exercise.implementations) >= 4, f"{exercise.id}: reference + 3 broken"
        assert "app_under_test" in str(exercise.solution), exercise.id
        assert exercise.limits.time_s >= 5, f"{exercise.id}: pytest needs a few seconds"
        sources = [str(src) for src in exercise.implementations.values()]
        assert len(set(sources)) == len(sources), f"{exercise.id}: duplicate implementations"


def test_lesson_exercise_links_resolve() -> None:
    known = {e.id for e in iter_exercises(COURSE)}
    for section in SECTIONS:
        for point in points(section):
            assert point.lesson is not None
            assert point.lesson.exercise is not None, f"{point.id}: link an exercise"
            assert point.lesson.exercise in known, f"{point.id} -> {point.lesson.exercise}"


@pytest.mark.parametrize(("where", "source"), list(taught_code()), ids=lambda v: str(v)[:40])
def test_taught_code_is_current(where: str, source: str) -> None:
    for pattern, why in DEPRECATED.items():
        assert not re.search(pattern, source), f"{where}: {why}"


def test_self_checks_have_a_real_rubric() -> None:
    for section in SECTIONS:
        for topic in section.topics:
            for exercise in topic.exercises:
                if isinstance(exercise, SelfCheckExercise):
                    assert len(exercise.rubric) >= 5, exercise.id
                    assert len(exercise.model_answer) > 300, exercise.id


def test_quiz_short_answers() -> None:
    quiz = next(
        e
        for s in SECTIONS
        for t in s.topics
        for e in t.exercises
        if isinstance(e, QuizExercise) and e.id == "project-setup-quiz"
    )
    question = next(q for q in quiz.questions if q.id == "uv-default-group")
    assert short_answer_correct(question, "--no-dev")
    assert short_answer_correct(question, "--no-default-groups")
    assert not short_answer_correct(question, "--dev")
