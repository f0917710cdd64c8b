"""An orders API with two versions, validated input and Problem Details errors.

TODO:
- `POST /v1/orders` with `{"sku": str, "quantity": int}`: `sku` is 3-32 characters,
  `quantity` is 1-100; unknown fields are rejected. Answers `201` with
  `{"id", "sku", "quantity", "status": "pending"}`.
- `GET /v1/orders/{order_id}`: the same shape as the creation response.
- `GET /v2/orders/{order_id}`: `{"id", "status", "line": {"sku", "quantity"}}`.
- Invalid input: `422` (FastAPI's default is fine).
- An unknown order, in both versions: `404` with an `application/problem+json` body
  `{"type": "about:blank", "title": "Order not found", "status": 404, "detail": "..."}`.
- The stored `internal_note` must never appear in a response.
"""

from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel


class OrderRecord(BaseModel):
    """Given: what the service stores."""

    id: int
    sku: str
    quantity: int
    status: str = "pending"
    internal_note: str = ""


DB: dict[int, OrderRecord] = {}

v1 = APIRouter()


@v1.post("/orders")
def create_order(body: dict) -> dict:
    record = OrderRecord(id=len(DB) + 1, sku=body["sku"], quantity=body["quantity"],
                         internal_note="check address")
    DB[record.id] = record
    return record.model_dump()


@v1.get("/orders/{order_id}")
def get_order_v1(order_id: int) -> dict:
    if order_id not in DB:
        raise HTTPException(404)
    return DB[order_id].model_dump()


app = FastAPI()
app.include_router(v1, prefix="/v1")
