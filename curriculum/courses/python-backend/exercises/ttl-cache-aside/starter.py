"""Product API: a TTL cache in front of a slow loader (cache-aside).

TODO: implement `TTLCache`. An entry stored at time t is fresh while
`clock() < t + ttl_s`; after that it counts as missing. Always read the time from the
injected `clock` (never `time.time()` directly): that is what makes the cache testable.

- `get(key)`: the fresh value, or None when missing or expired.
- `set(key, value)`: store the value with the current time.
- `invalidate(key)`: forget the key (no error if it is missing).
- `get_or_load(key, loader)`: cache-aside: return the fresh value, or call
  `loader(key)`, store its result and return it.

The functions under "used by the grader" are given.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Response


class FakeClock:
    """A clock the grader can move forward: call it to read the time in seconds."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TTLCache:
    def __init__(self, ttl_s: float, clock: Callable[[], float]) -> None:
        self.ttl_s = ttl_s
        self.clock = clock

    def get(self, key: str) -> Any | None:
        return None

    def set(self, key: str, value: Any) -> None:
        pass

    def invalidate(self, key: str) -> None:
        pass

    def get_or_load(self, key: str, loader: Callable[[str], Any]) -> Any:
        return loader(key)


_loads: list[str] = []


def load_product(sku: str) -> dict[str, Any]:
    """The slow database query."""
    _loads.append(sku)
    return {"sku": sku, "price_cents": 100 * len(sku)}


clock = FakeClock()
cache = TTLCache(ttl_s=30.0, clock=clock)


# --- used by the grader -------------------------------------------------------------
def get_product(sku: str) -> dict[str, Any]:
    return cache.get_or_load(sku, load_product)


def advance_clock(seconds: float) -> None:
    clock.now += seconds


def load_count() -> int:
    return len(_loads)


def peek(sku: str) -> Any | None:
    return cache.get(sku)


def invalidate(sku: str) -> None:
    cache.invalidate(sku)


app = FastAPI()


@app.get("/products/{sku}")
def product(sku: str, response: Response) -> dict[str, Any]:
    before = load_count()
    result = get_product(sku)
    response.headers["X-Cache"] = "MISS" if load_count() > before else "HIT"
    return result
