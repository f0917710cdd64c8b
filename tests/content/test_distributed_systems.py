"""The roadmap course ``distributed-systems``: a lesson for every point, an exercise per topic.

The slow proof (solutions pass, starters fail, mistakes trigger, every example runs in the
sandbox) is ``tutor check-course distributed-systems`` (tests/content/test_check_courses.py);
these tests are the fast structural guard.
"""

from __future__ import annotations

import ast
import re

from curriculum import resolve_course
from curriculum.model import CodeExercise, Exercise, QuizExercise, SelfCheckExercise

COURSE = resolve_course("distributed-systems")

# Topics whose exercise is a checked code exercise (what the sandbox can grade).
CODE_EXERCISES = {
    "rest-apis": "orders-api-contract",
    "sql-and-nosql": "atomic-stock-transfer",
    "services-and-task-queues": "consistent-hash-ring",
    "event-driven-messaging": "idempotent-consumer-with-dlq",
    "securing-services": "signed-service-requests",
    "communication-styles": "gateway-downstream-errors",
    "async-and-concurrency": "bounded-concurrent-lookups",
    "resilience-patterns": "circuit-breaker",
    "logs-metrics-traces": "traceparent-propagation",
    "data-formats-and-files": "jsonl-event-log",
    "testing-services": "idempotent-payments-tests",
    "core-language": "inventory-exceptions",
}


# Topics that keep their quiz beside the code exercise (Python-language topics).
QUIZ_TOO = {
    "async-and-concurrency",
    "resilience-patterns",
    "logs-metrics-traces",
    "data-formats-and-files",
    "testing-services",
    "core-language",
}


def _points() -> list[tuple[str, str]]:
    return [
        (topic.id, point.id)
        for section in COURSE.sections
        for topic in section.topics
        for point in topic.points
    ]


def _exercises() -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    for section in COURSE.sections:
        for exercise in section.exercises:
            found[exercise.id] = exercise
        for topic in section.topics:
            for exercise in topic.exercises:
                found[exercise.id] = exercise
    return found


def test_every_point_has_an_authored_lesson() -> None:
    missing = [
        point.id
        for section in COURSE.sections
        for topic in section.topics
        for point in topic.points
        if point.lesson is None
    ]
    assert len(_points()) == 43
    assert missing == []


def test_every_topic_has_an_exercise() -> None:
    bare = [t.id for s in COURSE.sections for t in s.topics if not t.exercises]
    assert bare == []


def test_code_exercises_where_the_sandbox_can_check_code() -> None:
    topics = {t.id: t for s in COURSE.sections for t in s.topics}
    for topic_id, exercise_id in CODE_EXERCISES.items():
        exercise = next(e for e in topics[topic_id].exercises if e.id == exercise_id)
        assert isinstance(exercise, CodeExercise), exercise_id
        assert len(exercise.hints) >= 2, f"{exercise_id}: hints"
        assert len(exercise.mistakes) >= 2, f"{exercise_id}: common-mistake messages"
        assert all(m.sample is not None for m in exercise.mistakes), exercise_id
        for part in (exercise.starter, exercise.solution, exercise.checks):
            ast.parse(str(part))


def test_other_topics_have_a_quiz_or_a_self_check() -> None:
    for section in COURSE.sections:
        for topic in section.topics:
            if topic.id in CODE_EXERCISES and topic.id not in QUIZ_TOO:
                continue
            kinds = {type(e) for e in topic.exercises}
            assert kinds & {QuizExercise, SelfCheckExercise}, topic.id


def test_lessons_link_existing_exercises() -> None:
    exercises = _exercises()
    for section in COURSE.sections:
        for topic in section.topics:
            for point in topic.points:
                assert point.lesson is not None
                if point.lesson.exercise is not None:
                    assert point.lesson.exercise in exercises, point.id


def test_every_example_is_runnable_python() -> None:
    for section in COURSE.sections:
        for topic in section.topics:
            for point in topic.points:
                assert point.lesson is not None
                code = point.lesson.code
                assert code.language == "python" and code.runnable, point.id
                ast.parse(str(code.source))


def test_titles_are_plain_titles() -> None:
    titles = [s.title for s in COURSE.sections]
    titles += [t.title for s in COURSE.sections for t in s.topics]
    titles += [p.title for s in COURSE.sections for t in s.topics for p in t.points]
    for title in titles:
        assert not re.search(r"\*\*|`|__|\[.*\]\(", title), f"raw markdown in {title!r}"
        assert not re.search(r"(?i)\b(explain|teach|cover)\b", title), f"prompt wording: {title!r}"


def test_nothing_deprecated_is_taught_as_current() -> None:
    sources = [
        str(point.lesson.code.source)
        for section in COURSE.sections
        for topic in section.topics
        for point in topic.points
        if point.lesson is not None
    ]
    joined = "\n".join(sources)
    for legacy in (".dict()", ".parse_obj(", "session.query(", "declarative_base(", "import motor"):
        assert legacy not in joined, legacy
    assert "asyncio.get_event_loop()" not in joined
