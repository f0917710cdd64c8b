"""Health endpoints for Kubernetes probes (and load balancers).

TODO: add two endpoints.
- `GET /health/live` (liveness: "is the process working at all?") answers 200 with
  {"status": "alive"} whenever the app can answer, even if the database is down:
  restarting the pod would not fix the database.
- `GET /health/ready` (readiness: "may this pod receive traffic?") answers 200 with
  {"status": "ready"} when `database_ok()` is true and the app is not shutting down;
  otherwise 503 with {"status": "not ready", "reason": "database"} or
  {"status": "not ready", "reason": "shutting down"} (shutting down wins).
`set_database` and `begin_shutdown` are used by the checks; keep them.
"""

from fastapi import FastAPI

app = FastAPI()
state = {"database_up": True, "shutting_down": False}


def database_ok() -> bool:
    """Stands in for `SELECT 1` against the database, with a short timeout."""
    return state["database_up"]


@app.get("/orders")
def orders() -> list[dict[str, int]]:
    return [{"id": 1}]


def set_database(up: bool) -> None:
    """Used by the checks."""
    state["database_up"] = up


def begin_shutdown() -> None:
    """Used by the checks: what a SIGTERM handler would do before draining."""
    state["shutting_down"] = True
