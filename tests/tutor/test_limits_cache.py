"""Limits as pure objects, and the lesson cache key and SQLite cache."""

from __future__ import annotations

import asyncio
from pathlib import Path

from curriculum.model import Course
from tutor import navigation as nav
from tutor.cache import SqliteLessonCache, lesson_key
from tutor.limits import Limiter, LimitSettings, question_too_long

NOON = 1_767_268_800.0  # 2026-01-01 12:00 UTC


def test_rate_limit_per_learner_per_minute() -> None:
    asyncio.run(_rate_limit())


async def _rate_limit() -> None:
    limiter = Limiter(LimitSettings(requests_per_minute=2))
    for _ in range(2):
        assert await limiter.check("ann", NOON) is None
        await limiter.record_call("ann", NOON)
    message = await limiter.check("ann", NOON + 1)
    assert message is not None and "at most 2 tutor requests per minute" in message
    assert await limiter.check("bob", NOON + 1) is None
    assert await limiter.check("ann", NOON + 61) is None


def test_daily_token_budget_resets_at_midnight_utc() -> None:
    asyncio.run(_daily_budget())


async def _daily_budget() -> None:
    limiter = Limiter(LimitSettings(daily_tokens=1000))
    call = await limiter.record_call("ann", NOON)
    await limiter.record_tokens("ann", call, prompt=1000, completion=200)
    message = await limiter.check("ann", NOON + 60)
    assert message is not None and "today's tutor budget (1000 tokens)" in message
    assert await limiter.check("ann", NOON + 12 * 3600) is None


def test_question_length_limit() -> None:
    limits = LimitSettings(max_question_chars=10)
    assert question_too_long("short", limits) is None
    assert question_too_long("x" * 11, limits) == (
        "That question is too long (11 characters; the limit is 10). Please shorten it."
    )


def test_lesson_key_changes_with_what_shapes_the_lesson(mini: Course) -> None:
    pos = nav.first_position(mini)
    other = nav.parse_position(mini, "1/1/2")
    key = lesson_key(mini, pos, model="m", level="beginner", max_tokens=100)
    assert key == lesson_key(mini, pos, model="m", level="beginner", max_tokens=100)
    variants = {
        lesson_key(mini, pos, model="other", level="beginner", max_tokens=100),
        lesson_key(mini, pos, model="m", level="advanced", max_tokens=100),
        lesson_key(mini, pos, model="m", level="beginner", max_tokens=200),
        lesson_key(mini, other, model="m", level="beginner", max_tokens=100),
        lesson_key(
            mini.model_copy(update={"extra_guidelines": []}).model_copy(update={"guidelines": []}),
            pos,
            model="m",
            level="beginner",
            max_tokens=100,
        ),
    }
    assert key not in variants and len(variants) == 5


def test_sqlite_cache_round_trip_and_latest(tmp_path: Path) -> None:
    cache = SqliteLessonCache(tmp_path / "lessons.sqlite3")

    async def fill() -> str | None:
        assert await cache.get("k1") is None
        await cache.put("k1", "## Explanation\n\nOne", course_id="c", point_id="p", model="m1")
        await cache.put("k2", "## Explanation\n\nTwo", course_id="c", point_id="p", model="m2")
        return await cache.get("k1")

    assert asyncio.run(fill()) == "## Explanation\n\nOne"
    reopened = SqliteLessonCache(tmp_path / "lessons.sqlite3")
    latest = reopened.latest("c", "p")
    assert latest is not None and latest.model == "m2"
    assert reopened.latest("c", "nope") is None
