"""Deliver a webhook with retries, exponential backoff and jitter.

`deliver(receiver, event, max_attempts=5, base_delay=1.0)`:
- post the event with `status = await receiver.post(event)` (at most `max_attempts` times);
- 2xx: delivered -> return {"delivered": True, "attempts": n};
- 5xx, 429 or a `ConnectionError`: wait, then try again;
- any other status (4xx): retrying cannot help -> return {"delivered": False, "attempts": n};
- after the last failed attempt give up (no wait after it): {"delivered": False, ...}.
Before retry number k (k = 1, 2, ...) wait `base_delay * 2 ** (k - 1)` seconds multiplied
by a random jitter factor between 0.5 and 1.5. Wait with the given `sleep` function
(never `asyncio.sleep` / `time.sleep` directly): it records the delays for the grader.
"""

import asyncio
import random
from typing import Any

_sleeps: list[float] = []


async def sleep(seconds: float) -> None:
    """Given: records the delay instead of really waiting."""
    _sleeps.append(seconds)
    await asyncio.sleep(0)


class FakeReceiver:
    """Given: the customer's server. Answers with the scripted statuses, then 200.

    `None` in the script means the connection failed (raises ConnectionError).
    """

    def __init__(self, script: list[int | None]) -> None:
        self.script = list(script)
        self.calls = 0

    async def post(self, event: dict[str, Any]) -> int:
        self.calls += 1
        status = self.script.pop(0) if self.script else 200
        if status is None:
            raise ConnectionError("connection refused")
        return status


async def deliver(
    receiver: FakeReceiver,
    event: dict[str, Any],
    max_attempts: int = 5,
    base_delay: float = 1.0,
) -> dict[str, Any]:
    for attempt in range(1, max_attempts + 1):
        try:
            status = await receiver.post(event)
        except ConnectionError:
            status = None  # worth retrying
        if status is not None and 200 <= status < 300:
            return {"delivered": True, "attempts": attempt}
        if status is not None and status < 500 and status != 429:
            return {"delivered": False, "attempts": attempt}  # a client error: don't retry
        if attempt < max_attempts:
            await sleep(base_delay * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
    return {"delivered": False, "attempts": max_attempts}


async def run_delivery(script: list[int | None], max_attempts: int = 5) -> dict[str, Any]:
    """Used by the grader."""
    receiver = FakeReceiver(script)
    result = await deliver(receiver, {"id": "evt_1", "type": "order.paid"}, max_attempts)
    return {**result, "posts": receiver.calls, "sleeps": list(_sleeps)}
