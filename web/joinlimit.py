"""Wrong class codes, per account and per client address, in a sliding hour.

Kept in memory, per server process: with N workers an account may try N times the
limit, and a restart forgets the counts (docs/security-tests.md, "What remains"). The
per-learner limits that must hold across workers (checks in flight, Runs, drafts,
attempts) are kept in the database instead (:mod:`web.ratelimit`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass


class RateWindow:
    """``take(key)`` admits an event, or says how many seconds until one would be; the key
    is an account id or a client address."""

    def __init__(self, *, limit: int, window_s: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._events: dict[Hashable, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: Hashable, now: float | None = None) -> int | None:
        """Record an event for ``key``: None if admitted, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._forget_idle(now)
                events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self.window_s - now))
            events.append(now)
            return None

    def give_back(self, key: Hashable) -> None:
        """Undo ``key``'s newest event (it turned out not to count)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._events.items() if not v or v[-1] <= now - self.window_s]
        for key in idle:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # all active: start afresh, bounded
            self._events.clear()


@dataclass(frozen=True)
class JoinGuesses:
    """Wrong class codes per account and per client address, each in a sliding hour.

    A join takes a place in both windows before the code is looked up (so concurrent
    guesses are counted too) and gives them back unless the code was wrong.
    """

    per_account: RateWindow
    per_address: RateWindow

    @classmethod
    def per_hour(cls, *, account: int, address: int) -> JoinGuesses:
        return cls(
            RateWindow(limit=account, window_s=3600), RateWindow(limit=address, window_s=3600)
        )

    def take(self, account: int, address: str) -> int | None:
        """None if this account at this address may try a code; else the seconds to wait."""
        wait = self.per_account.take(account)
        if wait is not None:
            return wait
        wait = self.per_address.take(address)
        if wait is not None:
            self.per_account.give_back(account)
        return wait

    def give_back(self, account: int, address: str) -> None:
        """The code was right (or not a guess): it does not count."""
        self.per_account.give_back(account)
        self.per_address.give_back(address)
