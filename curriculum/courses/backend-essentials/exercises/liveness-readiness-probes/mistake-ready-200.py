"""Health endpoints for Kubernetes probes (and load balancers)."""

from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
state = {"database_up": True, "shutting_down": False}


def database_ok() -> bool:
    """Stands in for `SELECT 1` against the database, with a short timeout."""
    return state["database_up"]


@app.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "alive"}


@app.get("/health/ready", response_model=None)
def ready() -> JSONResponse | dict[str, str]:
    if state["shutting_down"]:
        return JSONResponse({"status": "not ready", "reason": "shutting down"}, status_code=503)
    if not database_ok():
        return {"status": "not ready", "reason": "database"}
    return {"status": "ready"}


@app.get("/orders")
def orders() -> list[dict[str, int]]:
    return [{"id": 1}]


def set_database(up: bool) -> None:
    """Used by the checks."""
    state["database_up"] = up


def begin_shutdown() -> None:
    """Used by the checks: what a SIGTERM handler would do before draining."""
    state["shutting_down"] = True
