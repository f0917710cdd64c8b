"""A per-learner sliding window: at most ``limit`` events in ``window_s`` seconds.

Kept in memory, per server process (like the grading gate's counts): it bounds how
fast one learner can make a worker do work that is not an attempt (Runs, draft saves).
Attempts are counted in the database instead (``web.services.recording``).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateWindow:
    """``take(learner)`` admits an event, or says how many seconds until one would be."""

    def __init__(self, *, limit: int, window_s: float = 60.0, max_learners: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_learners = max_learners
        self._events: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, learner: int, now: float | None = None) -> int | None:
        """Record an event for ``learner``: None if admitted, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.get(learner)
            if events is None:
                if len(self._events) >= self.max_learners:
                    self._forget_idle(now)
                events = self._events.setdefault(learner, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self.window_s - now))
            events.append(now)
            return None

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._events.items() if not v or v[-1] <= now - self.window_s]
        for key in idle:
            del self._events[key]
        if len(self._events) >= self.max_learners:  # all active: start afresh, bounded
            self._events.clear()
