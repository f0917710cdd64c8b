"""The flagship course ``python-backend``: complete, current, consistent, in every section.

The slow proof (solutions pass, starters fail, mistakes trigger, examples run in the
sandbox) is ``tutor check-course python-backend`` (tests/content/test_check_courses.py);
these tests are the fast structural guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from curriculum import Point, resolve_course
from curriculum.model import CodeExercise, Exercise, QuizExercise, SelfCheckExercise
from exercises.quiz import short_answer_correct

COURSE = resolve_course("python-backend")

SECTION_IDS = (
    "fastapi-fundamentals",
    "async-programming",
    "dev-tooling",
    "testing-with-pytest",
    "docker-and-deployment",
    "observability",
    "advanced-topics",
)

# The checked code exercises the issue asks for, with how checks reach the submission.
REQUIRED_CODE_EXERCISES = {
    "pydantic-signup-validator": "module",  # field_validator / model_validator
    "first-notes-api": "module",  # @app.get / @app.post with a Pydantic model
    "orders-path-query-response-model": "module",  # path + query params, response model
    "books-status-codes": "module",  # 201 / 404 / 422 / 204
    "versioned-user-routers": "module",  # APIRouter under /v1 and /v2
    "async-dashboard-endpoint": "module",  # async endpoint, concurrent fan-out
    "gather-prices-with-timeout": "module",  # gather + wait_for / timeout
    "reports-with-to-thread": "module",  # to_thread for a blocking call
    "rates-client-lifespan": "module",  # shared httpx client in a lifespan, deadline
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
    "correlation-id-logging": "module",  # X-Request-ID middleware, id in logs
    "json-log-formatter": "module",  # a JSON formatter with redaction
    "prometheus-custom-metrics": "module",  # Counter + Histogram, /metrics text
    "health-readiness-check": "module",  # liveness / readiness, 503 on a failing dependency
    "domain-error-problem-json": "module",  # exception handler -> application/problem+json
    "api-key-middleware": "module",  # auth + timing middleware
    "rate-limit-429": "module",  # fixed window per key, 429 + Retry-After
    "maintenance-mode-asgi": "module",  # pure ASGI business middleware
    "lifespan-app-state": "module",  # lifespan, state on app.state
    "depends-auth-chain": "module",  # Depends chain: user -> admin
    "background-welcome-email": "module",  # BackgroundTasks, side effect after the response
    "webhook-retry-backoff": "module",  # retries with exponential backoff and jitter
    "ttl-cache-aside": "module",  # TTL cache with an injected clock
    "async-sqlalchemy-queries": "module",  # AsyncSession, select()
}

# Where code cannot be checked here (Docker, Compose, CI, dashboards, log aggregation).
REQUIRED_QUIZZES_OR_SELF_CHECKS = {
    "fastapi-foundations-quiz",
    "async-model-quiz",
    "event-loop-quiz",
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
    "grafana-dashboards-quiz",
    "service-dashboard-self-check",
    "log-aggregation-quiz",
    "workers-and-caching-quiz",
    "async-orms-quiz",
}

# Topics whose code can be checked here must have a checked code exercise.
CODE_TOPICS = {
    "getting-started",
    "pythonic-api-design",
    "core-concepts",
    "async-in-practice",
    "project-setup",
    "static-analysis",
    "ci-practices",
    "unit-and-integration-testing",
    "coverage-and-structure",
    "testing-practices",
    "logging-best-practices",
    "health-and-error-monitoring",
    "middleware",
    "dependency-injection",
    "background-tasks",
    "scalability-patterns",
}

# APIs, commands and versions that are deprecated or outdated: never taught as current.
DEPRECATED = {
    r"\.dict\(\)": "model.dict() is Pydantic v1; use model_dump()",
    r"\.parse_obj\(": "parse_obj is Pydantic v1; use model_validate()",
    r"@validator\b": "@validator is Pydantic v1; use @field_validator",
    r"@root_validator\b": "@root_validator is Pydantic v1; use @model_validator",
    r"class Config\b": "class Config is Pydantic v1; use model_config",
    r"\.on_event\(": "on_event is deprecated; use a lifespan",
    r"HTTP_422_UNPROCESSABLE_ENTITY": "renamed HTTP_422_UNPROCESSABLE_CONTENT",
    r"get_event_loop\(\)": "use asyncio.run / asyncio.get_running_loop()",
    r"uvicorn\.run\(": "examples must not start a server",
    r"uvicorn\.workers": "uvicorn.workers is deprecated; use the uvicorn-worker package",
    r"\bdocker-compose\s": "docker-compose v1 is end-of-life; use `docker compose`",
    r"(?m)^version:": "the top-level `version:` key is obsolete in Compose files",
    r"actions/checkout@v[1-6]\b": "actions/checkout has a newer major",
    r"setup-uv@v[1-9]\b": "astral-sh/setup-uv has a newer major",
    r"dev-dependencies": "tool.uv.dev-dependencies is replaced by [dependency-groups]",
    r"\baioredis\b": "aioredis is merged into redis-py; use redis.asyncio",
    r"(?<!`)\bsession\.query\(": "session.query is the legacy API; use select()",
}

SUBMISSION_API = {"call", "http", "run", "source", "elapsed", "logs"}


def points() -> Iterator[Point]:
    for section in COURSE.sections:
        for topic in section.topics:
            yield from topic.points


def exercises() -> Iterator[Exercise]:
    for section in COURSE.sections:
        yield from section.exercises
        for topic in section.topics:
            yield from topic.exercises


def code_exercises() -> dict[str, CodeExercise]:
    return {e.id: e for e in exercises() if isinstance(e, CodeExercise)}


def quiz(exercise_id: str) -> QuizExercise:
    found = next(e for e in exercises() if e.id == exercise_id)
    assert isinstance(found, QuizExercise)
    return found


def taught_code() -> Iterator[tuple[str, str]]:
    """Every piece of code a learner is shown: examples, starters, solutions, model answers."""
    for point in points():
        assert point.lesson is not None
        yield f"example {point.id}", str(point.lesson.code.source)
    for exercise in exercises():
        if isinstance(exercise, CodeExercise):
            yield f"{exercise.id} starter", str(exercise.starter)
            yield f"{exercise.id} solution", str(exercise.solution)
        elif isinstance(exercise, SelfCheckExercise):
            yield f"{exercise.id} model answer", exercise.model_answer


def lesson_text(point_id: str) -> str:
    point = next(p for p in points() if p.id == point_id)
    assert point.lesson is not None
    lesson = point.lesson
    return " ".join((lesson.explanation, lesson.notes, lesson.summary, str(lesson.code.source)))


def test_the_seven_sections_are_present_in_order() -> None:
    assert tuple(s.id for s in COURSE.sections) == SECTION_IDS


def test_every_point_has_a_complete_lesson() -> None:
    for point in points():
        lesson = point.lesson
        assert lesson is not None, f"{point.id} has no lesson"
        for part in ("explanation", "walkthrough", "notes", "summary", "try_it"):
            assert getattr(lesson, part).strip(), f"{point.id}: empty {part}"
        code = lesson.code
        if code.language == "python" and not code.runnable:
            assert code.not_runnable, f"{point.id}: a non-runnable example needs a reason"


def test_sections_one_and_two_examples_all_run() -> None:
    for section in COURSE.sections[:2]:
        for topic in section.topics:
            for point in topic.points:
                assert point.lesson is not None
                assert point.lesson.code.runnable, f"{point.id}: example should run"


def test_docker_section_examples_are_never_run() -> None:
    languages = {p.id: p.lesson.code.language for p in points() if p.lesson is not None}
    assert languages["dockerfile-multi-stage"] == "dockerfile"
    assert languages["api-db-compose-setup"] == "yaml"
    assert languages["build-and-push-images"] == "yaml"


def test_every_topic_has_an_exercise_and_code_topics_a_checked_one() -> None:
    for section in COURSE.sections:
        for topic in section.topics:
            assert topic.exercises, f"topic {topic.id} has no exercise"
            if topic.id in CODE_TOPICS:
                assert any(isinstance(e, CodeExercise) for e in topic.exercises), topic.id


def test_required_exercises_exist() -> None:
    modes = {k: v.mode for k, v in code_exercises().items()}
    assert modes.items() >= REQUIRED_CODE_EXERCISES.items()
    assert {e.id for e in exercises()} >= REQUIRED_QUIZZES_OR_SELF_CHECKS


def test_code_exercises_have_hints_and_mistakes() -> None:
    for exercise in code_exercises().values():
        assert 2 <= len(exercise.hints) <= 3, f"{exercise.id}: 2-3 hints"
        assert 1 <= len(exercise.mistakes) <= 3, f"{exercise.id}: 1-3 mistakes"
        for mistake in exercise.mistakes:
            if mistake.pattern is not None:
                assert re.search(mistake.pattern, str(mistake.sample)), exercise.id
                assert not re.search(mistake.pattern, str(exercise.solution)), exercise.id


def test_checks_use_only_the_submission_api() -> None:
    for exercise in code_exercises().values():
        used = set(re.findall(r"submission\.(\w+)", str(exercise.checks)))
        assert used <= SUBMISSION_API, f"{exercise.id}: unknown members {used - SUBMISSION_API}"


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


def test_every_lesson_links_an_existing_exercise() -> None:
    known = {e.id for e in exercises()}
    for point in points():
        assert point.lesson is not None
        assert point.lesson.exercise is not None, f"{point.id}: link an exercise"
        assert point.lesson.exercise in known, f"{point.id} -> {point.lesson.exercise}"


def test_quiz_questions_have_a_correct_option_and_explanations() -> None:
    for exercise in exercises():
        if isinstance(exercise, QuizExercise):
            for question in exercise.questions:
                if question.type != "short":
                    assert any(o.correct for o in question.options), question.id
                    assert all(o.explanation for o in question.options), question.id


def test_self_checks_have_a_real_rubric() -> None:
    for exercise in exercises():
        if isinstance(exercise, SelfCheckExercise):
            assert len(exercise.rubric) >= 5, exercise.id
            assert len(exercise.model_answer) > 300, exercise.id


@pytest.mark.parametrize(("where", "source"), list(taught_code()), ids=lambda v: str(v)[:40])
def test_taught_code_is_current(where: str, source: str) -> None:
    for pattern, why in DEPRECATED.items():
        assert not re.search(pattern, source), f"{where}: {why}"


@pytest.mark.parametrize(
    ("quiz_id", "question_id", "right", "wrong"),
    [
        ("fastapi-foundations-quiz", "pydantic-dump", ["model_dump()"], "dict()"),
        ("event-loop-quiz", "timeout-python-311", ["asyncio.timeout"], "dict()"),
        ("project-setup-quiz", "uv-default-group", ["--no-dev", "--no-default-groups"], "--dev"),
    ],
)
def test_quiz_short_answers_accept_the_intended_answers(
    quiz_id: str, question_id: str, right: list[str], wrong: str
) -> None:
    question = next(q for q in quiz(quiz_id).questions if q.id == question_id)
    for answer in right:
        assert short_answer_correct(question, answer), answer
    assert not short_answer_correct(question, wrong)


def test_current_facts_are_stated() -> None:
    orms = lesson_text("async-vs-sync-orms")
    assert "Gino" in orms and "unmaintained" in orms
    assert "create_async_engine" in orms and "AsyncSession" in orms
    redis = lesson_text("caching-with-redis")
    assert "redis.asyncio" in redis and "aioredis" in redis  # named as merged, not taught
    workers = lesson_text("gunicorn-uvicorn-workers")
    assert "uvicorn_worker.UvicornWorker" in workers and "--workers" in workers
    assert "lifespan" in lesson_text("depends-state-lifespan")


def test_point_titles_are_titles_and_the_seed_wording_is_the_brief() -> None:
    """Titles are shown everywhere (headings, outline, buttons): plain noun phrases, no
    markdown, no final full stop, no prompt wording. The seed's own wording of each
    point stays the point's ``brief``, which is what the tutor's prompt teaches from."""
    for point in (p for s in COURSE.sections for t in s.topics for p in t.points):
        # (an underscore inside a name such as to_thread is not emphasis)
        assert not re.search(r"[`*#\[\]]|\b_|_\b", point.title), f"markdown in {point.title!r}"
        assert not point.title.endswith("."), f"a sentence, not a title: {point.title!r}"
        assert not point.title.startswith(("Give ", "Explain ")), point.title
        assert point.brief, f"{point.id}: keep the seed's wording as the brief"
