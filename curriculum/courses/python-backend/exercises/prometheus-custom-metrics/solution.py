"""Orders API with business metrics for the Grafana dashboard."""

from typing import Literal

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import BaseModel, Field

ORDERS_CREATED = Counter("orders_created", "Orders created", ["payment_method"])
ORDER_AMOUNT = Histogram(
    "order_amount_euros", "Amount of created orders in euros", buckets=(10, 50, 100, 500)
)


class Order(BaseModel):
    item: str
    amount: float = Field(gt=0)
    payment_method: Literal["card", "paypal", "invoice"]


app = FastAPI()


@app.post("/orders", status_code=201)
async def create_order(order: Order) -> dict[str, str]:
    ORDERS_CREATED.labels(payment_method=order.payment_method).inc()
    ORDER_AMOUNT.observe(order.amount)
    return {"status": "created", "item": order.item}


@app.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
