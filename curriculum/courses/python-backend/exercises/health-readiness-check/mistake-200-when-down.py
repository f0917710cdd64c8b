from typing import Any

from fastapi import FastAPI

_up = {"database": True, "cache": True}
check_calls = {"database": 0, "cache": 0}


def set_dependency(name: str, up: bool) -> None:
    _up[name] = up


def calls() -> dict[str, int]:
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
async def ready() -> dict[str, Any]:
    database, cache = await check_database(), await check_cache()
    checks = {"database": "ok" if database else "down", "cache": "ok" if cache else "down"}
    status = "ok" if database and cache else "unavailable"
    return {"status": status, "checks": checks}
