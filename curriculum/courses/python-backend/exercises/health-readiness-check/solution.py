"""Health endpoints for the orders API."""

import asyncio
from typing import Any

from fastapi import FastAPI, Response, status

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


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/health/ready")
async def ready(response: Response) -> dict[str, Any]:
    database, cache = await asyncio.gather(check_database(), check_cache())
    checks = {"database": "ok" if database else "down", "cache": "ok" if cache else "down"}
    if database and cache:
        return {"status": "ok", "checks": checks}
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {"status": "unavailable", "checks": checks}
