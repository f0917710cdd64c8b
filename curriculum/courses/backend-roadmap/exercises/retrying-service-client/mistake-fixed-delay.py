"""A resilient call from the orders service to the inventory service."""

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
RETRYABLE_STATUSES = {502, 503, 504}


def _delay(retry: int) -> float:
    return BASE_DELAY_S


def get_stock(sku: str) -> dict[str, object]:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = client.get(f"/v1/stock/{sku}")
        except (httpx.TimeoutException, httpx.NetworkError):
            response = None  # transient: retry
        if response is not None and response.status_code not in RETRYABLE_STATUSES:
            if response.status_code == 404:
                raise UnknownSku(sku)
            response.raise_for_status()  # other 4xx (and 5xx we do not retry) fail at once
            body: dict[str, object] = response.json()
            return body
        if attempt < MAX_ATTEMPTS:
            pause(_delay(attempt))
    raise UpstreamUnavailable(f"inventory failed {MAX_ATTEMPTS} times for {sku}")
