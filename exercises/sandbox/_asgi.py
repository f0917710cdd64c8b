"""A learner's ASGI app driven in-process, on one event loop, without threads.

Used inside the sandboxed child: lifespan startup before the first request, requests
through ``httpx.ASGITransport`` (background tasks finish before the response is
returned), lifespan state copied into each request scope as servers do, and lifespan
shutdown at the end of the check.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from typing import Any

import httpx

Message = dict[str, Any]


class LifespanFailed(RuntimeError):
    """The app's lifespan startup failed."""


class AsgiSession:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self.loop = asyncio.new_event_loop()
        self._receive: asyncio.Queue[Message] | None = None
        self._send: asyncio.Queue[Message] | None = None
        self._task: asyncio.Future[Any] | None = None
        transport = httpx.ASGITransport(app=self._with_state, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.loop.run_until_complete(self._startup())

    async def _with_state(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") in ("http", "websocket"):
            scope = {**scope, "state": dict(self.state)}
        await self.app(scope, receive, send)

    async def _lifespan_message(self) -> Message | None:
        assert self._send is not None and self._task is not None
        getter = asyncio.ensure_future(self._send.get())
        done, _ = await asyncio.wait({getter, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if getter in done:
            return getter.result()
        getter.cancel()
        return None

    async def _startup(self) -> None:
        self._receive, self._send = asyncio.Queue(), asyncio.Queue()
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        self._task = asyncio.ensure_future(self.app(scope, self._receive.get, self._send.put))
        await self._receive.put({"type": "lifespan.startup"})
        message = await self._lifespan_message()
        if message is None:
            if not self._task.cancelled() and self._task.exception() is not None:
                self._task = None  # the app does not speak lifespan: serve without it
                return
            return
        if message.get("type") == "lifespan.startup.failed":
            raise LifespanFailed(str(message.get("message", "")))

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self._request(method, path, **kwargs))

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.client.request(method, path, **kwargs)
        await response.aread()
        return response

    def close(self) -> None:
        self.loop.run_until_complete(self._shutdown())
        self.loop.close()

    async def _shutdown(self) -> None:
        await self.client.aclose()
        if self._task is None or self._task.done() or self._receive is None:
            return
        await self._receive.put({"type": "lifespan.shutdown"})
        await self._lifespan_message()
