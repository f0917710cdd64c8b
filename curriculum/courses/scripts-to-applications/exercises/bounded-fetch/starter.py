"""TODO: fetch many URLs concurrently, at most `limit` at a time, without one failure stopping the rest.

`fetch_all(urls, fetch, limit)` awaits `fetch(url)` for every URL and returns the
results in the same order as `urls`:
- never more than `limit` calls to `fetch` in flight at once;
- as many as `limit` in flight whenever there is enough work (do not run them one by one);
- when `fetch(url)` raises an exception, the result for that URL is the string
  `"error: <the exception message>"`, and the other URLs still complete.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable


async def fetch_all(
    urls: list[str], fetch: Callable[[str], Awaitable[str]], *, limit: int
) -> list[str]:
    results = []
    for url in urls:  # one at a time: correct, but not concurrent
        results.append(await fetch(url))
    return results


# --- given: used by the grader ------------------------------------------------------
def run(delays: list[float], limit: int, failing: list[int] | None = None) -> dict[str, object]:
    """Fetch one fake URL per delay; URL i fails if i is in `failing`."""
    state = {"active": 0, "max": 0}

    async def fetch(url: str) -> str:
        index = int(url.rsplit("/", 1)[1])
        state["active"] += 1
        state["max"] = max(state["max"], state["active"])
        try:
            await asyncio.sleep(delays[index])
            if index in (failing or []):
                raise ConnectionError(f"{url} refused")
            return f"page {index}"
        finally:
            state["active"] -= 1

    urls = [f"https://site.test/{i}" for i in range(len(delays))]
    start = time.perf_counter()
    results = asyncio.run(fetch_all(urls, fetch, limit=limit))
    return {
        "results": results,
        "max_in_flight": state["max"],
        "elapsed": time.perf_counter() - start,
    }
