"""Orders API: add business metrics for the Grafana dashboard.

TODO:
1. A Counter named "orders_created" (exposed as `orders_created_total`) with one label,
   `payment_method`, incremented for every created order.
2. A Histogram named "order_amount_euros" with buckets (10, 50, 100, 500) observing each
   created order's amount.
3. `GET /metrics` returning the Prometheus text format (`generate_latest()` with the
   `CONTENT_TYPE_LATEST` media type).
"""

from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel, Field


class Order(BaseModel):
    item: str
    amount: float = Field(gt=0)
    payment_method: Literal["card", "paypal", "invoice"]


app = FastAPI()


@app.post("/orders", status_code=201)
async def create_order(order: Order) -> dict[str, str]:
    return {"status": "created", "item": order.item}
