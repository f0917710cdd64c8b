"""Fetch stock quotes for a portfolio page: concurrently, and never wait on a slow quote."""

import asyncio

LATENCY = {"AAPL": 0.2, "MSFT": 0.2, "GOOG": 0.2, "SLOW": 1.5}
PRICES = {"AAPL": 189.5, "MSFT": 411.2, "GOOG": 152.8, "SLOW": 1.0}


async def fetch_price(symbol: str) -> float:
    """The quote service (keep as it is): some symbols answer slowly."""
    await asyncio.sleep(LATENCY[symbol])
    return PRICES[symbol]


async def fetch_prices(symbols: list[str], timeout: float) -> dict[str, float | None]:
    # TODO: fetch all quotes concurrently; a quote slower than `timeout` becomes None.
    return {symbol: await fetch_price(symbol) for symbol in symbols}
