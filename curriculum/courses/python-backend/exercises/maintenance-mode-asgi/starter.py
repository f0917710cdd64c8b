"""Orders API: a read-only maintenance mode as a pure ASGI middleware.

TODO: complete `MaintenanceMiddleware` (a plain class, not BaseHTTPMiddleware). While
`is_on()` returns True:
- writing requests (any method but GET, HEAD, OPTIONS) are answered by the middleware
  itself: 503 with {"detail": "read-only maintenance"} and the headers
  `Retry-After: 300` and `X-Maintenance: on`; the app is not called;
- reading requests reach the app, and their responses get the header `X-Maintenance: on`.
When maintenance is off, nothing changes. Non-HTTP scopes (the lifespan!) must always be
passed to the app untouched.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Receive, Scope, Send

_flags = {"maintenance": False}
ORDERS: list[dict[str, str]] = []


def set_maintenance(on: bool) -> None:
    """Used by the grader to switch maintenance mode."""
    _flags["maintenance"] = on


class MaintenanceMiddleware:
    def __init__(self, app: ASGIApp, is_on: Callable[[], bool]) -> None:
        self.app = app
        self.is_on = is_on

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.started = True
    yield


app = FastAPI(lifespan=lifespan)
app.add_middleware(MaintenanceMiddleware, is_on=lambda: _flags["maintenance"])


@app.get("/health")
async def health(request: Request) -> dict[str, object]:
    return {"status": "ok", "started": getattr(request.app.state, "started", False)}


@app.get("/orders")
async def list_orders() -> list[dict[str, str]]:
    return ORDERS


@app.post("/orders", status_code=201)
async def create_order() -> dict[str, str]:
    order = {"id": str(len(ORDERS) + 1)}
    ORDERS.append(order)
    return order
