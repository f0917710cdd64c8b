"""Warm the runner before it forks children: do once what every child would repeat.

The first FastAPI app, pydantic model, TestClient request or event loop in a process
triggers lazy imports and builds caches; done here, in the runner, every child
inherits the result through fork instead of paying for it on each check.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field
from starlette.testclient import TestClient

from exercises.sandbox import _testfile
from exercises.sandbox._asgi import AsgiSession


class _Item(BaseModel):
    name: str = Field(min_length=1)
    price: float = Field(gt=0)
    tags: list[str] = []


def _app() -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = FastAPI(lifespan=lifespan)

    def settings() -> dict[str, Any]:
        return {"debug": False}

    @app.get("/items/{item_id}")
    async def read(item_id: int, q: str | None = None) -> dict[str, Any]:
        if item_id < 0:
            raise HTTPException(status_code=404, detail="not found")
        return {"id": item_id, "q": q}

    @app.post("/items", status_code=201)
    async def create(item: _Item, cfg: dict[str, Any] = Depends(settings)) -> _Item:  # noqa: B008
        return item

    return app


def _session() -> None:
    session = AsgiSession(_app())
    session.request("GET", "/items/1", params={"q": "x"})
    session.request("POST", "/items", json={"name": "a", "price": 1.5})
    session.close()


def _http() -> None:
    with TestClient(_app()) as client:
        client.get("/items/1", params={"q": "x"})
        client.get("/items/abc")
        client.get("/items/-1")
        client.post("/items", json={"name": "a", "price": 1.5})
        client.post("/items", json={"name": "", "price": -1})


async def _async_client() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"ok": True}))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        (await client.get("/")).json()
    await asyncio.sleep(0)


def warm() -> None:
    """Exercise the common paths once; failures here only cost speed."""
    with contextlib.suppress(Exception):
        _http()
    with contextlib.suppress(Exception):
        _session()
    with contextlib.suppress(Exception):
        asyncio.run(_async_client())
    with contextlib.suppress(Exception):
        _Item.model_validate_json(json.dumps({"name": "a", "price": 2})).model_dump_json()
    with contextlib.suppress(Exception):
        _testfile.warm()
    logging.getLogger("warmup").debug("warm")
