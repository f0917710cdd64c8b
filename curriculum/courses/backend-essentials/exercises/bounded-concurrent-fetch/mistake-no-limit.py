"""Call a slow service for many items concurrently, but never more than `limit` at once."""

import asyncio

in_flight = 0
max_in_flight = 0


async def fetch_price(sku: str) -> int:
    """Stands in for an HTTP call that takes 0.1 s. Do not change it."""
    global in_flight, max_in_flight
    in_flight += 1
    max_in_flight = max(max_in_flight, in_flight)
    try:
        await asyncio.sleep(0.1)
        return sum(map(ord, sku))
    finally:
        in_flight -= 1


async def fetch_all(skus: list[str], limit: int) -> list[int]:
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return list(await asyncio.gather(*(fetch_price(sku) for sku in skus)))


async def report(n: int, limit: int) -> dict[str, object]:
    """Used by the checks."""
    global max_in_flight
    max_in_flight = 0
    prices = await fetch_all([f"sku-{i}" for i in range(n)], limit)
    return {"prices": prices, "max_in_flight": max_in_flight}
