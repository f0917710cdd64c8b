"""A circuit breaker for calls to a flaky dependency.

`CircuitBreaker(failure_threshold=3, reset_timeout=30.0, clock=time.monotonic)`:
- `state` is "closed", "open" or "half-open";
- closed: `call(fn)` returns `fn()`; after `failure_threshold` *consecutive* failures
  (exceptions from `fn`, re-raised to the caller) the breaker opens;
- open: `call` raises `CircuitOpenError` without calling `fn`, until `reset_timeout`
  seconds (measured with `clock()`) have passed since it opened; then it is half-open;
- half-open: the next call is a trial: success closes the breaker (and resets the
  count), failure opens it again for another `reset_timeout`.
"""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class CircuitOpenError(Exception):
    pass


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, reset_timeout: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.clock = clock
        self._failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self.clock() - self._opened_at >= self.reset_timeout:
            return "half-open"
        return "open"

    def call(self, fn: Callable[[], T]) -> T:
        state = self.state
        if state == "open":
            raise CircuitOpenError("dependency unavailable, failing fast")
        if state == "half-open":
            self._failures = 0
            self._opened_at = None
        try:
            result = fn()
        except Exception:
            self._failures += 1
            if self._failures >= self.failure_threshold:
                self._opened_at = self.clock()
            raise
        self._failures = 0
        self._opened_at = None
        return result


# --- given: used by the grader ----------------------------------------------------
def run(script: list[object], failure_threshold: int = 3,
        reset_timeout: float = 30.0) -> dict[str, object]:
    """Play a script: "ok" / "fail" are calls, a number advances the clock."""
    now = [0.0]
    calls = [0]

    def dependency(ok: bool) -> Callable[[], str]:
        def fn() -> str:
            calls[0] += 1
            if not ok:
                raise ConnectionError("refused")
            return "ok"
        return fn

    breaker = CircuitBreaker(failure_threshold, reset_timeout, clock=lambda: now[0])
    outcomes: list[list[str]] = []
    for step in script:
        if isinstance(step, (int, float)):
            now[0] += step
            continue
        try:
            result = breaker.call(dependency(step == "ok"))
        except Exception as err:  # noqa: BLE001 - the grader records every outcome
            result = type(err).__name__
        outcomes.append([result, breaker.state])
    return {"outcomes": outcomes, "dependency_calls": calls[0]}
