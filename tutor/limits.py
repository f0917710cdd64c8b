"""Limits on model use, as pure objects the web app can back with its own storage.

* a per-learner rate limit (model calls per minute),
* a per-learner daily token budget (prompt + completion tokens, UTC days),
* a maximum question length (characters),
* a maximum reply length (``max_tokens`` on every call, applied by the backend).

Each check returns ``None`` or a clear message for the learner.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LimitSettings:
    requests_per_minute: int = 10
    daily_tokens: int = 200_000
    max_question_chars: int = 2000
    max_reply_tokens: int = 1500


def question_too_long(text: str, limits: LimitSettings) -> str | None:
    if len(text) <= limits.max_question_chars:
        return None
    return (
        f"That question is too long ({len(text)} characters; the limit is "
        f"{limits.max_question_chars}). Please shorten it."
    )


class UsageStore(Protocol):
    """Where calls and tokens are counted (memory here; the web app uses its database).

    Async: a store backed by a database does its I/O off the event loop. ``add_call``
    returns the call's id; ``add_tokens`` adds the tokens that call used.
    """

    async def calls_since(self, learner: str, since: float) -> int: ...

    async def add_call(self, learner: str, at: float, *, course_id: str) -> int: ...

    async def tokens_on(self, learner: str, day: str) -> int: ...

    async def add_tokens(
        self, learner: str, call: int, *, prompt: int, completion: int
    ) -> None: ...


class MemoryUsageStore:
    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = defaultdict(list)
        self.tokens: dict[tuple[str, str], int] = defaultdict(int)
        self._call_days: list[str] = []  # by call id

    async def calls_since(self, learner: str, since: float) -> int:
        kept = [t for t in self.calls[learner] if t >= since]
        self.calls[learner] = kept
        return len(kept)

    async def add_call(self, learner: str, at: float, *, course_id: str) -> int:
        self.calls[learner].append(at)
        self._call_days.append(utc_day(at))
        return len(self._call_days) - 1

    async def tokens_on(self, learner: str, day: str) -> int:
        return self.tokens[(learner, day)]

    async def add_tokens(self, learner: str, call: int, *, prompt: int, completion: int) -> None:
        self.tokens[(learner, self._call_days[call])] += prompt + completion


def utc_day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))


class Limiter:
    """Checks and records model calls against the rate limit and the daily budget."""

    def __init__(self, limits: LimitSettings, store: UsageStore | None = None) -> None:
        self.limits = limits
        self.store: UsageStore = store or MemoryUsageStore()

    async def check(self, learner: str, now: float | None = None) -> str | None:
        """A message if the learner may not make a model call now, else None."""
        now = time.time() if now is None else now
        per_minute = self.limits.requests_per_minute
        if await self.store.calls_since(learner, now - 60) >= per_minute:
            return (
                f"You're going a bit fast: at most {per_minute} tutor requests per minute. "
                "Please wait a moment and try again."
            )
        if await self.store.tokens_on(learner, utc_day(now)) >= self.limits.daily_tokens:
            return (
                "You've used today's tutor budget "
                f"({self.limits.daily_tokens} tokens). It resets at midnight UTC; "
                "written lessons and exercises still work."
            )
        return None

    async def record_call(
        self, learner: str, now: float | None = None, *, course_id: str = ""
    ) -> int:
        """Count a call now (before it is made: concurrent calls see it); its id."""
        return await self.store.add_call(
            learner, time.time() if now is None else now, course_id=course_id
        )

    async def record_tokens(self, learner: str, call: int, *, prompt: int, completion: int) -> None:
        """Add the tokens call ``call`` used to the learner's budget (the call's UTC day)."""
        await self.store.add_tokens(learner, call, prompt=prompt, completion=completion)
