"""Partner API: /api/* needs an API key; every response is timed."""

import secrets
import time

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import RequestResponseEndpoint

API_KEYS = {"k-acme-123": "acme", "k-globex-456": "globex"}
route_calls = {"whoami": 0}


def calls() -> int:
    """How many times the protected route ran (used by the grader)."""
    return route_calls["whoami"]


app = FastAPI()


def client_for(key: str) -> str | None:
    for known, client in API_KEYS.items():
        if secrets.compare_digest(known, key):
            return client
    return None


@app.middleware("http")
async def api_key_auth(request: Request, call_next: RequestResponseEndpoint) -> Response:
    if request.url.path.startswith("/api/"):
        client = client_for(request.headers.get("X-API-Key", ""))
        if client is None:
            return JSONResponse({"detail": "invalid or missing API key"}, status_code=401)
        request.state.client = client
    return await call_next(request)


@app.middleware("http")  # added last = outermost: it also times the 401s
async def process_time(request: Request, call_next: RequestResponseEndpoint) -> Response:
    start = time.perf_counter()
    response = await call_next(request)
    response.headers["X-Process-Time-Ms"] = f"{(time.perf_counter() - start) * 1000:.1f}"
    return response


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/whoami")
async def whoami(request: Request) -> dict[str, str]:
    route_calls["whoami"] += 1
    return {"client": getattr(request.state, "client", "anonymous")}
