"""Maintenance mode written with BaseHTTPMiddleware (works, but not what was asked)."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp

_flags = {"maintenance": False}
ORDERS: list[dict[str, str]] = []


def set_maintenance(on: bool) -> None:
    _flags["maintenance"] = on


class MaintenanceMiddleware(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, is_on: Callable[[], bool]) -> None:
        super().__init__(app)
        self.is_on = is_on

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not self.is_on():
            return await call_next(request)
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            return JSONResponse(
                {"detail": "read-only maintenance"},
                status_code=503,
                headers={"Retry-After": "300", "X-Maintenance": "on"},
            )
        response = await call_next(request)
        response.headers["X-Maintenance"] = "on"
        return response


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
