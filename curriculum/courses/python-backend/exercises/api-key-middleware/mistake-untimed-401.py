"""Timing added in the same middleware, after the early return."""

import time

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import RequestResponseEndpoint

API_KEYS = {"k-acme-123": "acme", "k-globex-456": "globex"}
route_calls = {"whoami": 0}


def calls() -> int:
    return route_calls["whoami"]


app = FastAPI()


@app.middleware("http")
async def auth_and_timing(request: Request, call_next: RequestResponseEndpoint) -> Response:
    start = time.perf_counter()
    if request.url.path.startswith("/api/"):
        client = API_KEYS.get(request.headers.get("X-API-Key", ""))
        if client is None:
            return JSONResponse({"detail": "invalid or missing API key"}, status_code=401)
        request.state.client = client
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
