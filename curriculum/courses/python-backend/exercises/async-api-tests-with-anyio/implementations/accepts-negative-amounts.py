"""[accepts-negative-amounts] An async currency conversion endpoint (the code under test)."""

import asyncio
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

RATES = {"EUR": 0.92, "GBP": 0.79, "JPY": 151.3}

app = FastAPI()


async def fetch_rate(currency: str) -> float | None:
    await asyncio.sleep(0)  # stands in for an async call to a rates service
    return RATES.get(currency.upper())


@app.get("/convert")
async def convert(
    amount: float, to: Annotated[str, Query(min_length=3, max_length=3)]
) -> dict[str, float | str]:
    rate = await fetch_rate(to)
    if rate is None:
        raise HTTPException(status_code=404, detail=f"unknown currency {to}")
    return {"amount": amount, "currency": to.upper(), "converted": round(amount * rate, 2)}
