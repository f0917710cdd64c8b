"""Partner API: protect /api/* with an API key and time every response.

TODO, in one or two HTTP middlewares:
1. Requests to paths starting with "/api/" need a valid `X-API-Key` header (a key of
   API_KEYS). Otherwise answer 401 with {"detail": "invalid or missing API key"} without
   calling the route. With a valid key, put the client name on `request.state.client`.
2. Every response (including 401s and /health) gets an `X-Process-Time-Ms` header: the
   time spent handling the request in milliseconds, e.g. "0.8".
"""

from fastapi import FastAPI, Request

API_KEYS = {"k-acme-123": "acme", "k-globex-456": "globex"}
route_calls = {"whoami": 0}


def calls() -> int:
    """How many times the protected route ran (used by the grader)."""
    return route_calls["whoami"]


app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/whoami")
async def whoami(request: Request) -> dict[str, str]:
    route_calls["whoami"] += 1
    return {"client": getattr(request.state, "client", "anonymous")}
