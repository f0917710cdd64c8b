"""TODO: a gateway endpoint that calls two services and handles their failures.

`GET /orders/{order_id}/summary` calls the orders service (`GET /orders/{id}`), then the
inventory service (`GET /stock/{sku}`), through `downstream` (given), and answers
`{"order_id", "sku", "quantity", "in_stock", "degraded"}`.

- Forward the incoming `X-Request-ID` header to both calls (generate one with uuid4 if
  the request has none) and send it back as the response's `X-Request-ID`.
- Orders service: `404` -> `404`; a timeout (`httpx.TimeoutException`) -> `504`; any
  other failure (a 5xx, `httpx.TransportError`) -> `502`.
- Inventory is optional: if it fails in any way, answer `200` with `"in_stock": None`
  and `"degraded": True` (otherwise `"degraded": False`).
"""

import uuid
from typing import Annotated, Any

import httpx
from fastapi import FastAPI, Header, HTTPException, Response

# --- given: the two downstream services, simulated ------------------------------
ORDERS = {1: {"id": 1, "sku": "pen", "quantity": 2}, 2: {"id": 2, "sku": "mug", "quantity": 1},
          3: {"id": 3, "sku": "lamp", "quantity": 1}}
STOCK = {"pen": 120, "lamp": 4}
SEEN: list[dict[str, str]] = []  # every downstream request: path and X-Request-ID
BROKEN = {"orders": "", "inventory": ""}  # "", "timeout", "500" or "down"


def _services(request: httpx.Request) -> httpx.Response:
    SEEN.append({"path": request.url.path, "request_id": request.headers.get("x-request-id", "")})
    service = "orders" if request.url.path.startswith("/orders/") else "inventory"
    mode = BROKEN[service]
    if mode == "timeout":
        raise httpx.ReadTimeout(f"{service} timed out", request=request)
    if mode == "down":
        raise httpx.ConnectError(f"{service} refused the connection", request=request)
    if mode == "500":
        return httpx.Response(500, json={"detail": "internal error"})
    key = request.url.path.rsplit("/", 1)[-1]
    if service == "orders":
        order = ORDERS.get(int(key))
        return httpx.Response(200, json=order) if order else httpx.Response(404)
    if key not in STOCK:
        return httpx.Response(503, json={"detail": "stock table locked"})
    return httpx.Response(200, json={"sku": key, "available": STOCK[key]})


downstream = httpx.AsyncClient(transport=httpx.MockTransport(_services),
                               base_url="http://services", timeout=1.0)


def break_service(service: str, mode: str) -> None:
    """Given: the grader breaks a service."""
    BROKEN[service] = mode


def seen() -> list[dict[str, str]]:
    """Given: what the downstream services received."""
    return SEEN


# --- yours ----------------------------------------------------------------------
app = FastAPI()


@app.get("/orders/{order_id}/summary")
async def summary(order_id: int) -> dict[str, Any]:
    order = (await downstream.get(f"/orders/{order_id}")).json()
    stock = (await downstream.get(f"/stock/{order['sku']}")).json()
    return {"order_id": order["id"], "sku": order["sku"], "quantity": order["quantity"],
            "in_stock": stock["available"], "degraded": False}
