"""Fetch many feeds concurrently, politely and with timeouts."""

import asyncio

DELAYS = {"fast": 0.01, "medium": 0.03, "slow": 5.0}
_in_flight = 0
_max_in_flight = 0


async def fetch(url: str) -> str:
    global _in_flight, _max_in_flight
    _in_flight += 1
    _max_in_flight = max(_max_in_flight, _in_flight)
    try:
        name = url.split("/")[-1].split("-")[0]
        await asyncio.sleep(DELAYS.get(name, 0.02))
        if name == "down":
            raise ConnectionError(f"{url} refused the connection")
        return f"feed {url}"
    finally:
        _in_flight -= 1


def max_in_flight() -> int:
    return _max_in_flight


async def fetch_all(urls: list[str], limit: int, timeout_s: float) -> dict[str, str | None]:
    semaphore = asyncio.Semaphore(limit)

    async def one(url: str) -> str | None:
        async with semaphore:  # the timeout starts once the fetch may run
            try:
                async with asyncio.timeout(timeout_s):
                    return await fetch(url)
            except TimeoutError:
                return None

    async with asyncio.TaskGroup() as tg:
        tasks = {url: tg.create_task(one(url)) for url in urls}
    return {url: task.result() for url, task in tasks.items()}
