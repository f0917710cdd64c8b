"""A currency converter that calls an external exchange-rate API."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, HTTPException, Request


async def rates_service(request: httpx.Request) -> httpx.Response:
    """The external exchange-rate API (keep as it is): it stands in for the network."""
    base = request.url.params.get("base")
    if base == "SLOW":
        await asyncio.sleep(1.0)
    if base == "BROKEN":
        return httpx.Response(503, text="upstream maintenance")
    return httpx.Response(200, json={"EUR": 0.92, "GBP": 0.79, "USD": 1.0})


UPSTREAM = httpx.MockTransport(rates_service)  # give this to your client as transport=UPSTREAM
RATES_URL = "https://rates.example.com"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with httpx.AsyncClient(transport=UPSTREAM, base_url=RATES_URL) as client:
        app.state.rates = client
        yield


app = FastAPI(title="Converter", lifespan=lifespan)


@app.get("/convert")
async def convert(amount: float, base: str, target: str, request: Request) -> dict[str, float]:
    client: httpx.AsyncClient = request.app.state.rates
    try:
        async with asyncio.timeout(0.3):
            response = await client.get("/latest", params={"base": base})
        response.raise_for_status()
    except TimeoutError:
        raise HTTPException(status_code=504, detail="Rate service timed out") from None
    except httpx.HTTPError:
        raise HTTPException(status_code=502, detail="Rate service unavailable") from None
    rates = response.json()
    if target not in rates:
        raise HTTPException(status_code=404, detail="Unknown currency")
    rate = rates[target]
    return {"amount": round(amount * rate, 2), "rate": rate}
