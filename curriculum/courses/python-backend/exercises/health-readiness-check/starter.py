"""Health endpoints for the orders API.

The two dependency checks below are given (they simulate a database and a cache; the
grader flips them with `set_dependency`). TODO:

1. `GET /health/live` -> 200 `{"status": "ok"}` and it must NOT call any dependency check.
2. `GET /health/ready` -> run both checks; 200 `{"status": "ok", "checks": {...}}` when
   all are up, otherwise 503 `{"status": "unavailable", "checks": {...}}`, where checks
   maps each name to "ok" or "down", e.g. {"database": "down", "cache": "ok"}.
"""

from fastapi import FastAPI

_up = {"database": True, "cache": True}
check_calls = {"database": 0, "cache": 0}


def set_dependency(name: str, up: bool) -> None:
    """Used by the grader to simulate an outage."""
    _up[name] = up


def calls() -> dict[str, int]:
    """How many times each dependency check ran (used by the grader)."""
    return dict(check_calls)


async def check_database() -> bool:
    check_calls["database"] += 1
    return _up["database"]


async def check_cache() -> bool:
    check_calls["cache"] += 1
    return _up["cache"]


app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
