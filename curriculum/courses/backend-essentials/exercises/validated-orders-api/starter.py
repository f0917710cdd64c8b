"""An orders endpoint whose input is validated by Pydantic v2 models.

TODO: complete the models so that FastAPI rejects every invalid order with 422:
- `Line`: `sku` matches ^[A-Z]{3}-\d{3}$ (e.g. "KBD-001"), `quantity` is 1 to 100,
  `unit_price_cents` is positive; no other fields are allowed.
- `OrderIn`: `customer_email` looks like an address (something@domain.tld) and is stored
  lower-cased; `lines` has 1 to 20 lines, each SKU at most once; no other fields.
- `Order` (the response) adds `id` and a computed `total_cents`
  (the sum of quantity * unit_price_cents).
`POST /orders` answers 201 with the order; `GET /orders/{order_id}` returns it, or 404 with
{"detail": "order not found"}.
"""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Orders")


class Line(BaseModel):
    sku: str
    quantity: int
    unit_price_cents: int


class OrderIn(BaseModel):
    customer_email: str
    lines: list[Line]


class Order(OrderIn):
    id: int


orders: dict[int, Order] = {}


@app.post("/orders")
def create_order(payload: OrderIn) -> Order:
    order = Order(id=len(orders) + 1, **payload.model_dump())
    orders[order.id] = order
    return order
