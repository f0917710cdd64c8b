"""A currency converter that calls an external exchange-rate API."""

import asyncio

import httpx
from fastapi import FastAPI


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

app = FastAPI(title="Converter")


@app.get("/convert")
async def convert(amount: float, base: str, target: str) -> dict[str, float]:
    # TODO: one shared client from a lifespan, a 0.3 s deadline, 504 / 502 / 404 errors
    async with httpx.AsyncClient(transport=UPSTREAM, base_url=RATES_URL) as client:
        response = await client.get("/latest", params={"base": base})
    rate = response.json()[target]
    return {"amount": round(amount * rate, 2), "rate": rate}
