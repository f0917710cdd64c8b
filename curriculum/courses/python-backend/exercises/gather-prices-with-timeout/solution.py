"""Fetch stock quotes for a portfolio page: concurrently, and never wait on a slow quote."""

import asyncio

LATENCY = {"AAPL": 0.2, "MSFT": 0.2, "GOOG": 0.2, "SLOW": 1.5}
PRICES = {"AAPL": 189.5, "MSFT": 411.2, "GOOG": 152.8, "SLOW": 1.0}


async def fetch_price(symbol: str) -> float:
    """The quote service (keep as it is): some symbols answer slowly."""
    await asyncio.sleep(LATENCY[symbol])
    return PRICES[symbol]


async def price_or_none(symbol: str, timeout: float) -> float | None:
    try:
        return await asyncio.wait_for(fetch_price(symbol), timeout)
    except TimeoutError:
        return None


async def fetch_prices(symbols: list[str], timeout: float) -> dict[str, float | None]:
    prices = await asyncio.gather(*(price_or_none(symbol, timeout) for symbol in symbols))
    return dict(zip(symbols, prices, strict=True))
