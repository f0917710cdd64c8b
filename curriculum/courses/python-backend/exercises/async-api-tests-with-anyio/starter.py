"""Async tests for GET /convert, using httpx.AsyncClient on the ASGI app (no server)."""

import httpx

from app_under_test import app


def test_converts_euros() -> None:
    # TODO: make this an async test (@pytest.mark.anyio + async def) that sends the request
    # through httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")
    assert app is not None
    assert httpx is not None
