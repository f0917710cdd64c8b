"""Decide whether, and after how long, an HTTP client should retry a failed request.

`retry_delay(method, status, failures, retry_after)` returns the delay in seconds
before the next attempt, or `None` when the client must not retry:
- `status` is the response's status code, or `None` when no response arrived
  (a timeout or a refused connection);
- `failures` is how many attempts have failed so far (1 after the first failure);
- `retry_after` is the `Retry-After` header's value, or `None`.
"""

RETRYABLE_STATUSES = {429, 502, 503, 504}
IDEMPOTENT_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
MAX_FAILURES = 4
MAX_DELAY_S = 30.0


def retry_delay(
    method: str, status: int | None, failures: int, retry_after: str | None
) -> float | None:
    if method.upper() not in IDEMPOTENT_METHODS:
        return None
    if status is not None and status not in RETRYABLE_STATUSES:
        return None
    if failures >= MAX_FAILURES:
        return None
    return min(0.5 * 2 ** (failures - 1), MAX_DELAY_S)
