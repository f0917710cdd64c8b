"""Async tests for GET /convert, using httpx.AsyncClient on the ASGI app (no server)."""

from collections.abc import AsyncIterator

import httpx
import pytest

from app_under_test import app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_converts_and_rounds(client: httpx.AsyncClient) -> None:
    r = await client.get("/convert", params={"amount": 10, "to": "EUR"})
    assert r.status_code == 200
    assert r.json() == {"amount": 10.0, "currency": "EUR", "converted": 9.2}


async def test_currency_is_case_insensitive(client: httpx.AsyncClient) -> None:
    r = await client.get("/convert", params={"amount": 3, "to": "gbp"})
    assert r.json()["converted"] == 2.37


@pytest.mark.parametrize("amount", [0, -5])
async def test_amount_must_be_positive(client: httpx.AsyncClient, amount: int) -> None:
    r = await client.get("/convert", params={"amount": amount, "to": "EUR"})
    assert r.status_code == 422


async def test_unknown_currency_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/convert", params={"amount": 1, "to": "XYZ"})
    assert r.status_code == 404
