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
    """Where calls and tokens are counted (memory here; the web app uses its database)."""

    def calls_since(self, learner: str, since: float) -> int: ...

    def add_call(self, learner: str, at: float) -> None: ...

    def tokens_on(self, learner: str, day: str) -> int: ...

    def add_tokens(self, learner: str, day: str, tokens: int) -> None: ...


class MemoryUsageStore:
    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = defaultdict(list)
        self.tokens: dict[tuple[str, str], int] = defaultdict(int)

    def calls_since(self, learner: str, since: float) -> int:
        kept = [t for t in self.calls[learner] if t >= since]
        self.calls[learner] = kept
        return len(kept)

    def add_call(self, learner: str, at: float) -> None:
        self.calls[learner].append(at)

    def tokens_on(self, learner: str, day: str) -> int:
        return self.tokens[(learner, day)]

    def add_tokens(self, learner: str, day: str, tokens: int) -> None:
        self.tokens[(learner, day)] += tokens


def utc_day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))


class Limiter:
    """Checks and records model calls against the rate limit and the daily budget."""

    def __init__(self, limits: LimitSettings, store: UsageStore | None = None) -> None:
        self.limits = limits
        self.store: UsageStore = store or MemoryUsageStore()

    def check(self, learner: str, now: float | None = None) -> str | None:
        """A message if the learner may not make a model call now, else None."""
        now = time.time() if now is None else now
        per_minute = self.limits.requests_per_minute
        if self.store.calls_since(learner, now - 60) >= per_minute:
            return (
                f"You're going a bit fast: at most {per_minute} tutor requests per minute. "
                "Please wait a moment and try again."
            )
        if self.store.tokens_on(learner, utc_day(now)) >= self.limits.daily_tokens:
            return (
                "You've used today's tutor budget "
                f"({self.limits.daily_tokens} tokens). It resets at midnight UTC; "
                "written lessons and exercises still work."
            )
        return None

    def record_call(self, learner: str, now: float | None = None) -> None:
        self.store.add_call(learner, time.time() if now is None else now)

    def record_tokens(self, learner: str, tokens: int, now: float | None = None) -> None:
        at = time.time() if now is None else now
        self.store.add_tokens(learner, utc_day(at), tokens)
