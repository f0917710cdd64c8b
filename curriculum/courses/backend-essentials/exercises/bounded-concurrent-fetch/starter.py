"""Call a slow service for many items concurrently, but never more than `limit` at once.

`fetch_price(sku)` stands in for an HTTP call to a pricing service that takes 0.1 s; it
also records how many calls are in flight at the same time. Do not change it.

TODO: write `fetch_all(skus, limit)` so that it returns the prices in the same order as
`skus`, runs the calls concurrently (10 SKUs with limit 5 take about 0.2 s, not 1 s), and
never has more than `limit` calls in flight (the pricing service allows `limit`
connections per client). A `limit` below 1 raises ValueError.

`report` is used by the checks; keep it.
"""

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
    prices = []
    for sku in skus:
        prices.append(await fetch_price(sku))
    return prices


async def report(n: int, limit: int) -> dict[str, object]:
    """Used by the checks."""
    global max_in_flight
    max_in_flight = 0
    prices = await fetch_all([f"sku-{i}" for i in range(n)], limit)
    return {"prices": prices, "max_in_flight": max_in_flight}
