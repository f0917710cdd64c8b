"""Quotes API: limit each client to 5 requests per 60-second window.

TODO:
1. Implement `FixedWindowLimiter.check(key, now)`: a key's window starts at its first
   request (`now`, in seconds) and lasts `window_s`. Within a window the first `limit`
   requests are allowed (return 0); later ones are refused: return the whole seconds until
   the window ends, rounded up, at least 1. A request at or after the window's end starts
   a new window. Keys are independent.
2. Protect `GET /api/quote`: the client key is the `X-API-Key` header (or the client's IP
   when missing). A refused request gets 429 with {"detail": "rate limit exceeded"} and a
   `Retry-After` header holding the seconds to wait.
"""

import time

from fastapi import FastAPI

LIMIT = 5
WINDOW_S = 60.0


class FixedWindowLimiter:
    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s

    def check(self, key: str, now: float) -> int:
        """Record one request of `key` at `now`; 0 if allowed, else seconds to wait."""
        return 0


limiter = FixedWindowLimiter(LIMIT, WINDOW_S)


def hit(key: str, now: float) -> int:
    """Used by the grader to test the limiter with explicit times."""
    return limiter.check(key, now)


app = FastAPI()


@app.get("/api/quote")
async def quote() -> dict[str, str]:
    return {"quote": "Simple is better than complex.", "at": time.strftime("%H:%M:%S")}
