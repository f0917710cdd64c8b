"""python-backend sections 6-7 (observability, advanced topics): complete, current, consistent.

The slow proof (solutions pass, starters fail, mistakes trigger, examples run in the
sandbox) is `tutor check-course python-backend`; these tests are the fast structural guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from curriculum import Point, Section, resolve_course
from curriculum.model import CodeExercise, QuizExercise
from exercises.grade import iter_exercises

COURSE = resolve_course("python-backend")
SECTION_IDS = ("observability", "advanced-topics")
SECTIONS = [s for s in COURSE.sections if s.id in SECTION_IDS]

# The checked code exercises the issue and the brief ask for in these sections.
REQUIRED_CODE_EXERCISES = {
    "correlation-id-logging",  # X-Request-ID middleware, id in response and log records
    "json-log-formatter",  # a JSON formatter with redaction
    "prometheus-custom-metrics",  # Counter + Histogram, /metrics text
    "health-readiness-check",  # liveness / readiness, 503 on a failing dependency
    "domain-error-problem-json",  # exception handler -> application/problem+json
    "api-key-middleware",  # auth + timing middleware
    "rate-limit-429",  # fixed window per key, 429 + Retry-After
    "maintenance-mode-asgi",  # pure ASGI business middleware
    "lifespan-app-state",  # lifespan, state on app.state
    "depends-auth-chain",  # Depends chain: user -> admin
    "background-welcome-email",  # BackgroundTasks, side effect after the response
    "webhook-retry-backoff",  # retries with exponential backoff and jitter
    "ttl-cache-aside",  # TTL cache with an injected clock
    "async-sqlalchemy-queries",  # AsyncSession, select()
}
REQUIRED_QUIZZES_OR_SELF_CHECKS = {
    "grafana-dashboards-quiz",
    "service-dashboard-self-check",
    "log-aggregation-quiz",
    "workers-and-caching-quiz",
    "async-orms-quiz",
}

# APIs that are deprecated, removed or unmaintained; never taught as current.
DEPRECATED = {
    r"\.on_event\(": "on_event is deprecated; use a lifespan",
    r"\baioredis\b": "aioredis is merged into redis-py; use redis.asyncio",
    r"uvicorn\.workers": "uvicorn.workers is deprecated; use the uvicorn-worker package",
    r"\bsession\.query\(": "session.query is the legacy API; use select()",
    r"\.dict\(\)": "model.dict() is Pydantic v1; use model_dump()",
    r"class Config\b": "class Config is Pydantic v1; use model_config",
    r"uvicorn\.run\(": "examples must not start a server",
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
    """Every piece of code a learner is shown as correct: examples and solutions."""
    for section in SECTIONS:
        for point in points(section):
            assert point.lesson is not None
            yield f"example {point.id}", str(point.lesson.code.source)
    for exercise in code_exercises().values():
        yield f"{exercise.id} solution", str(exercise.solution)


def lesson_text(point_id: str) -> str:
    for section in SECTIONS:
        for point in points(section):
            if point.id == point_id and point.lesson is not None:
                lesson = point.lesson
                return " ".join(
                    (lesson.explanation, lesson.notes, lesson.summary, str(lesson.code.source))
                )
    raise KeyError(point_id)


def test_both_sections_are_present() -> None:
    assert [s.id for s in SECTIONS] == list(SECTION_IDS)


def test_every_point_has_a_complete_lesson() -> None:
    for section in SECTIONS:
        for point in points(section):
            lesson = point.lesson
            assert lesson is not None, f"{point.id} has no lesson"
            for part in ("explanation", "walkthrough", "notes", "summary", "try_it"):
                assert getattr(lesson, part).strip(), f"{point.id}: empty {part}"
            code = lesson.code
            if code.language == "python" and not code.runnable:
                assert code.not_runnable, f"{point.id}: a non-runnable example needs a reason"


def test_every_topic_has_an_exercise() -> None:
    for section in SECTIONS:
        for topic in section.topics:
            assert topic.exercises, f"topic {topic.id} has no exercise"


def test_required_exercises_exist() -> None:
    ids = {e.id for s in SECTIONS for t in s.topics for e in t.exercises}
    assert set(code_exercises()) >= REQUIRED_CODE_EXERCISES
    assert ids >= REQUIRED_QUIZZES_OR_SELF_CHECKS


def test_code_exercises_have_hints_and_mistakes() -> None:
    for exercise in code_exercises().values():
        assert 2 <= len(exercise.hints) <= 3, f"{exercise.id}: 2-3 hints"
        assert 1 <= len(exercise.mistakes) <= 3, f"{exercise.id}: 1-3 mistakes"
        for mistake in exercise.mistakes:
            if mistake.pattern is not None:
                assert re.search(mistake.pattern, str(mistake.sample)), exercise.id
                assert not re.search(mistake.pattern, str(exercise.solution)), exercise.id


def test_checks_use_only_the_submission_api() -> None:
    allowed = {"call", "http", "run", "source", "elapsed", "logs"}
    for exercise in code_exercises().values():
        used = set(re.findall(r"submission\.(\w+)", str(exercise.checks)))
        assert used <= allowed, f"{exercise.id}: unknown submission members {used - allowed}"


def test_lesson_exercise_links_resolve() -> None:
    known = {e.id for e in iter_exercises(COURSE)}
    for section in SECTIONS:
        for point in points(section):
            assert point.lesson is not None
            assert point.lesson.exercise in known, f"{point.id} -> {point.lesson.exercise}"


def test_quiz_questions_have_a_correct_option() -> None:
    for section in SECTIONS:
        for topic in section.topics:
            for exercise in topic.exercises:
                if isinstance(exercise, QuizExercise):
                    for question in exercise.questions:
                        assert any(o.correct for o in question.options), question.id
                        assert all(o.explanation for o in question.options), question.id


@pytest.mark.parametrize(("where", "source"), list(taught_code()), ids=lambda v: str(v)[:40])
def test_taught_code_uses_current_apis(where: str, source: str) -> None:
    for pattern, why in DEPRECATED.items():
        assert not re.search(pattern, source), f"{where}: {why}"


def test_current_facts_are_stated() -> None:
    orms = lesson_text("async-vs-sync-orms")
    assert "Gino" in orms and "unmaintained" in orms
    assert "create_async_engine" in orms and "AsyncSession" in orms
    redis = lesson_text("caching-with-redis")
    assert "redis.asyncio" in redis and "aioredis" in redis  # named as merged, not taught
    workers = lesson_text("gunicorn-uvicorn-workers")
    assert "uvicorn_worker.UvicornWorker" in workers and "--workers" in workers
    assert "lifespan" in lesson_text("depends-state-lifespan")
