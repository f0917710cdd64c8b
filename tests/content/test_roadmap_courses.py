"""The four bundled roadmap courses (seeds 000-003): loadable, clean text, real exercises.

Each course is listed with the topics that hold its concrete project ideas (each must
carry a project-style self-check) and the topics that hold its Python-language points
(each must carry a quiz).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import ftfy
import ftfy.badness
import pytest

from curriculum import Course, Topic, bundled_course_dirs, resolve_course
from curriculum.model import (
    DEFAULT_CONTINUE_PROMPT,
    Exercise,
    QuizExercise,
    SelfCheckExercise,
)
from exercises.quiz import Answer, grade_quiz, grade_self_check, short_answer_correct


@dataclass(frozen=True)
class Roadmap:
    seed: str
    project_topics: tuple[str, ...]
    language_topics: tuple[str, ...]


ROADMAPS: dict[str, Roadmap] = {
    "backend-essentials": Roadmap(
        seed="003",
        project_topics=("debugging-code",),
        language_topics=(
            "core-language",
            "oop-and-metaprogramming",
            "iteration-protocols",
            "concurrency-and-gil",
            "ecosystem-and-style",
            "data-structures",
            "complexity-and-interviews",
            "frameworks",
            "quality-tools",
        ),
    ),
    "backend-roadmap": Roadmap(
        seed="002",
        project_topics=("api-development", "open-source-and-portfolio"),
        language_topics=(
            "python-basics",
            "dev-environment",
            "error-handling-and-logging",
            "asynchronous-programming",
            "testing",
            "advanced-topics",
        ),
    ),
    "distributed-systems": Roadmap(
        seed="001",
        project_topics=("mini-distributed-api-system",),
        language_topics=(
            "core-language",
            "data-formats-and-files",
            "async-and-concurrency",
            "logs-metrics-traces",
            "testing-services",
            "resilience-patterns",
        ),
    ),
    "scripts-to-applications": Roadmap(
        seed="000",
        project_topics=(
            "first-real-project",
            "client-sdk",
            "backend-projects",
            "persistence-project",
            "concurrency-practice",
            "devops-basics",
            "http-api-client",
            "fastapi-backend",
            "end-to-end-system",
        ),
        language_topics=(
            "code-at-scale",
            "fastapi-essentials",
            "testing-tools",
            "asyncio-concepts",
        ),
    ),
}

COURSE_IDS = sorted(ROADMAPS)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _strings(value)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def mojibake(text: str) -> list[str]:
    """The pieces of ``text`` that are UTF-8 read as a legacy 8-bit encoding."""
    found = []
    if ftfy.fix_text(text, uncurl_quotes=False) != text or ftfy.badness.is_bad(text):
        found.append(text)
    for run in _NON_ASCII_RUN.findall(text):
        if any(_redecodes(run, codec) for codec in ("cp1252", "mac_roman", "latin-1")):
            found.append(run)
    return found


def _redecodes(run: str, codec: str) -> bool:
    """Whether ``run`` reads as UTF-8 once encoded in ``codec``, perhaps minus its lead byte.

    Some editors drop the lead byte of a 4-byte emoji (the seed's ``🐍`` became
    ``üêç``): three continuation bytes that decode to a symbol once a lead byte returns.
    """
    try:
        raw = run.encode(codec)
    except UnicodeError:
        return False
    try:
        return raw.decode("utf-8") != run
    except UnicodeError:
        pass
    if len(run) < 3 or not all(0x80 <= b <= 0xBF for b in raw):
        return False
    for lead in range(0xE0, 0xF5):
        try:
            repaired = (bytes([lead]) + raw).decode("utf-8")
        except UnicodeError:
            continue
        if all(ord(ch) >= 0x2000 and unicodedata.category(ch) == "So" for ch in repaired):
            return True
    return False


def _course(course_id: str) -> Course:
    return resolve_course(course_id)


def _topics(course: Course) -> dict[str, Topic]:
    return {t.id: t for s in course.sections for t in s.topics}


def _all_exercises(course: Course) -> Iterator[Exercise]:
    for section in course.sections:
        yield from section.exercises
        for topic in section.topics:
            yield from topic.exercises


def test_every_roadmap_seed_has_a_bundled_course() -> None:
    assert sorted(r.seed for r in ROADMAPS.values()) == ["000", "001", "002", "003"]
    assert set(ROADMAPS) <= set(bundled_course_dirs())
    assert "python-backend" not in ROADMAPS


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_course_loads_as_roadmap(course_id: str) -> None:
    course = _course(course_id)
    assert course.id == course_id
    assert course.kind == "roadmap"
    assert course.description.strip()
    assert course.kickoff.strip()
    assert course.continue_prompt == DEFAULT_CONTINUE_PROMPT
    assert course.sections


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_ids_are_unique_within_the_course(course_id: str) -> None:
    course = _course(course_id)
    ids = [s.id for s in course.sections]
    for section in course.sections:
        ids += [t.id for t in section.topics]
        ids += [p.id for t in section.topics for p in t.points]
    ids += [e.id for e in _all_exercises(course)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_text_has_no_mojibake(course_id: str) -> None:
    course = _course(course_id)
    bad = [piece for text in _strings(course.model_dump()) for piece in mojibake(text)]
    assert bad == []


@pytest.mark.parametrize(
    "broken",
    [
        "what\u201a\u00c4\u00f4s",
        "1\u00d4\u220f\u00e8\u201a\u00c9\u00a3",
        "Python\u00e2\u20ac\u2122s",
        "\u00fc\u00ea\u00e7",
    ],
)
def test_mojibake_detector_flags_the_seeds_damage(broken: str) -> None:
    assert mojibake(broken)


def test_mojibake_detector_accepts_proper_typography() -> None:
    assert (
        mojibake(
            "It\u2019s \u201creal\u201d \u2014 caf\u00e9 \u2192 1\ufe0f\u20e3 \U0001f40d \U0001f449"
        )
        == []
    )


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_titles_are_tidy(course_id: str) -> None:
    course = _course(course_id)
    titles = [course.title] + [s.title for s in course.sections]
    titles += [t.title for s in course.sections for t in s.topics]
    titles += [p.title for s in course.sections for t in s.topics for p in t.points]
    for title in titles:
        assert title == title.strip()
        assert "\u20e3" not in title, f"numbering emoji left in {title!r}"
        assert not title.endswith(":"), title
        assert not re.match(r"^\d+[.)]\s", title), f"manual numbering in {title!r}"


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_project_ideas_are_self_checks_with_rubrics(course_id: str) -> None:
    topics = _topics(_course(course_id))
    for topic_id in ROADMAPS[course_id].project_topics:
        checks = [e for e in topics[topic_id].exercises if isinstance(e, SelfCheckExercise)]
        assert checks, f"{topic_id}: no self-check"
        for check in checks:
            assert 5 <= len(check.rubric) <= 8, check.id
            assert "```" in check.model_answer, f"{check.id}: model answer has no code sketch"


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_every_self_check_is_well_formed(course_id: str) -> None:
    for exercise in _all_exercises(_course(course_id)):
        if isinstance(exercise, SelfCheckExercise):
            assert 5 <= len(exercise.rubric) <= 8, exercise.id
            assert all(item.strip() for item in exercise.rubric)
            assert len(exercise.model_answer) > 200, exercise.id


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_python_language_topics_have_quizzes(course_id: str) -> None:
    topics = _topics(_course(course_id))
    for topic_id in ROADMAPS[course_id].language_topics:
        quizzes = [e for e in topics[topic_id].exercises if isinstance(e, QuizExercise)]
        assert quizzes, f"{topic_id}: no quiz"


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_every_quiz_is_well_formed(course_id: str) -> None:
    for exercise in _all_exercises(_course(course_id)):
        if not isinstance(exercise, QuizExercise):
            continue
        assert 3 <= len(exercise.questions) <= 5, exercise.id
        for q in exercise.questions:
            where = f"{exercise.id}/{q.id}"
            if q.type == "short":
                assert q.answers or q.patterns, where
                continue
            correct = [o for o in q.options if o.correct]
            assert len(q.options) >= 3, where
            assert all(o.explanation.strip() for o in q.options), f"{where}: option unexplained"
            if q.type == "single":
                assert len(correct) == 1, where
            else:
                assert correct and len(correct) < len(q.options), where


def _answer_key(quiz: QuizExercise) -> dict[str, Answer]:
    key: dict[str, Answer] = {}
    for q in quiz.questions:
        right = [i for i, o in enumerate(q.options) if o.correct]
        key[q.id] = q.answers[0] if q.type == "short" else right[0] if q.type == "single" else right
    return key


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_answer_keys_pass_the_real_grader(course_id: str) -> None:
    quizzes = [e for e in _all_exercises(_course(course_id)) if isinstance(e, QuizExercise)]
    assert quizzes
    for quiz in quizzes:
        assert grade_quiz(quiz, _answer_key(quiz)).passed, quiz.id
        assert not grade_quiz(quiz, {}).passed, quiz.id


@pytest.mark.parametrize(
    ("course_id", "question_id", "accepted", "rejected"),
    [
        ("distributed-systems", "fstring-debug", ["retries=3", "retries = 3"], ["3", "retries"]),
        ("backend-essentials", "comprehension-result", ["[1, 9]", "[1,9]"], ["[0, 1, 4, 9, 16]"]),
        ("backend-essentials", "binary-search", ["O(log n)", "o(log(n))"], ["O(n)", "O(n log n)"]),
    ],
)
def test_short_answers_accept_variants_and_reject_wrong_ones(
    course_id: str, question_id: str, accepted: list[str], rejected: list[str]
) -> None:
    questions = {
        q.id: q
        for e in _all_exercises(_course(course_id))
        if isinstance(e, QuizExercise)
        for q in e.questions
    }
    question = questions[question_id]
    assert all(short_answer_correct(question, a) for a in accepted)
    assert not any(short_answer_correct(question, r) for r in rejected)


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_self_check_model_answers_show_only_after_committing(course_id: str) -> None:
    for exercise in _all_exercises(_course(course_id)):
        if isinstance(exercise, SelfCheckExercise):
            assert grade_self_check(exercise, [0], committed=False).model_answer is None
            everything = list(range(len(exercise.rubric)))
            result = grade_self_check(exercise, everything, committed=True)
            assert result.complete and result.model_answer == exercise.model_answer


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_authored_lessons_are_complete_and_compile(course_id: str) -> None:
    course = _course(course_id)
    lessons = [
        (p.id, p.lesson)
        for s in course.sections
        for t in s.topics
        for p in t.points
        if p.lesson is not None
    ]
    assert lessons, "each roadmap course authors its most important points"
    for point_id, lesson in lessons:
        parts = (
            lesson.explanation,
            lesson.walkthrough,
            lesson.notes,
            lesson.summary,
            lesson.try_it,
        )
        assert all(part.strip() for part in parts), point_id
        source = str(lesson.code.source)
        assert source.strip(), point_id
        if lesson.code.language == "python":
            compile(source, f"{course_id}/{point_id}", "exec")
        if not lesson.code.runnable:
            assert lesson.code.language != "python" or (lesson.code.not_runnable or "").strip(), (
                f"{point_id}: a Python example that cannot run must say why"
            )


# Roadmap courses that author every point and give every topic an exercise (issue 16).
COMPLETE_COURSES = (
    "backend-roadmap",
    "backend-essentials",
    "distributed-systems",
    "scripts-to-applications",
)


@pytest.mark.parametrize("course_id", COMPLETE_COURSES)
def test_every_point_has_an_authored_lesson(course_id: str) -> None:
    course = _course(course_id)
    missing = [p.id for s in course.sections for t in s.topics for p in t.points if not p.lesson]
    assert missing == []


@pytest.mark.parametrize("course_id", COMPLETE_COURSES)
def test_every_topic_has_an_exercise(course_id: str) -> None:
    course = _course(course_id)
    bare = [t.id for s in course.sections for t in s.topics if not t.exercises]
    assert bare == []


# Complete courses that also follow two house rules: point titles are noun phrases (not
# instructions such as "Use X"), and every lesson names the exercise that practises it.
HOUSE_STYLE_COURSES = ("backend-roadmap",)


@pytest.mark.parametrize("course_id", COMPLETE_COURSES)
def test_point_titles_are_plain_titles(course_id: str) -> None:
    course = _course(course_id)
    for point in (p for s in course.sections for t in s.topics for p in t.points):
        assert not re.search(r"[`*_#\[\]]", point.title), f"markdown in {point.title!r}"
        assert "e.g." not in point.title, f"an example list, not a title: {point.title!r}"


@pytest.mark.parametrize("course_id", HOUSE_STYLE_COURSES)
def test_point_titles_are_not_instructions(course_id: str) -> None:
    course = _course(course_id)
    for point in (p for s in course.sections for t in s.topics for p in t.points):
        first_word = point.title.split()[0]
        assert first_word not in {
            "Learn",
            "Use",
            "Write",
            "Implement",
            "Explore",
            "Give",
            "Explain",
        }, f"prompt wording, not a title: {point.title!r}"


@pytest.mark.parametrize("course_id", COMPLETE_COURSES)
def test_lessons_use_only_commonmark(course_id: str) -> None:
    """The web app renders CommonMark, which has no pipe tables: they would show as raw text."""
    course = _course(course_id)
    for point in (p for s in course.sections for t in s.topics for p in t.points):
        assert point.lesson is not None, point.id
        for part in (point.lesson.explanation, point.lesson.notes, point.lesson.walkthrough):
            assert not re.search(r"^\s*\|.*\|\s*$", part, re.MULTILINE), f"{point.id}: table"


# A lesson may name an exercise of another topic when that exercise practises it too.
_CROSS_TOPIC_EXERCISES = {"optimise-database-queries": "library-queries-sqlalchemy"}


@pytest.mark.parametrize("course_id", HOUSE_STYLE_COURSES)
def test_every_lesson_points_at_an_exercise_of_its_topic(course_id: str) -> None:
    course = _course(course_id)
    for section in course.sections:
        for topic in section.topics:
            allowed = {e.id for e in topic.exercises}
            for point in topic.points:
                assert point.lesson is not None, point.id
                expected = allowed | {_CROSS_TOPIC_EXERCISES.get(point.id, "")}
                assert point.lesson.exercise in expected, (
                    f"{point.id}: lesson.exercise {point.lesson.exercise!r}"
                )


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_kickoff_names_the_first_two_sections_as_titled(course_id: str) -> None:
    course = _course(course_id)
    first, second = course.sections[0], course.sections[1]
    assert f"Section 1 ({first.title})" in course.kickoff
    assert course.continue_prompt.format(number=2, title=second.title) in course.kickoff
