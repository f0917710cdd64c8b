"""A city dashboard that combines three downstream services concurrently."""

import asyncio

from fastapi import FastAPI

app = FastAPI(title="City dashboard")


# The three downstream services: keep these as they are (each takes 0.25 s).
async def fetch_weather(city: str) -> dict[str, str | int]:
    await asyncio.sleep(0.25)
    return {"summary": "sunny", "celsius": 21}


async def fetch_news(city: str) -> list[str]:
    await asyncio.sleep(0.25)
    return [f"{city} opens a new bike lane"]


async def fetch_traffic(city: str) -> str:
    await asyncio.sleep(0.25)
    return "light"


@app.get("/dashboard/{city}")
async def dashboard(city: str) -> dict[str, object]:
    weather, news, traffic = await asyncio.gather(
        fetch_weather(city), fetch_news(city), fetch_traffic(city)
    )
    return {"city": city, "weather": weather, "news": news, "traffic": traffic}
