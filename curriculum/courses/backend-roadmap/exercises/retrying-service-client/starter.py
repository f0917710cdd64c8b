"""The orders service asks the inventory service for stock: make the call resilient.

The inventory service is simulated by `httpx.MockTransport`: the grader scripts its
answers with `set_upstream([...])` (status codes, or "timeout"). Use `client` for the
requests and `pause(seconds)` to wait between attempts (it records the waits instead of
sleeping, so the grader can check them).

TODO: implement `get_stock(sku)`:
- GET /v1/stock/{sku}; a 200 returns the JSON body.
- 502, 503, 504 and timeouts/network errors are transient: try again, at most
  MAX_ATTEMPTS attempts in total, waiting before each retry
  min(BASE_DELAY_S * 2 ** (retry - 1), MAX_DELAY_S) multiplied by a random jitter
  factor between 0.5 and 1.0 (retry = 1 for the first retry). When every attempt
  failed, raise UpstreamUnavailable.
- 404 raises UnknownSku at once; any other 4xx raises httpx.HTTPStatusError at once
  (response.raise_for_status()). Retrying those cannot help.
"""

import random

import httpx

MAX_ATTEMPTS = 4
BASE_DELAY_S = 0.1
MAX_DELAY_S = 1.0


class UpstreamUnavailable(Exception):
    """The inventory service kept failing."""


class UnknownSku(LookupError):
    """The inventory service does not know this product."""


# ---- the simulated inventory service (do not change) ------------------------------
_script: list[int | str] = []
_calls: list[str] = []
_waits: list[float] = []


def _inventory(request: httpx.Request) -> httpx.Response:
    _calls.append(request.url.path)
    outcome = _script.pop(0) if _script else 200
    if outcome == "timeout":
        raise httpx.ReadTimeout("inventory did not answer", request=request)
    if outcome == 200:
        sku = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json={"sku": sku, "available": 7})
    return httpx.Response(int(outcome), json={"detail": "error"})


client = httpx.Client(
    transport=httpx.MockTransport(_inventory), base_url="http://inventory", timeout=2.0
)


def set_upstream(outcomes: list[int | str]) -> None:
    _script[:] = outcomes


def upstream_calls() -> int:
    return len(_calls)


def pause(seconds: float) -> None:
    _waits.append(seconds)


def waits() -> list[float]:
    return list(_waits)


# ---- your code ---------------------------------------------------------------------
def get_stock(sku: str) -> dict[str, object]:
    response = client.get(f"/v1/stock/{sku}")
    return response.json()
