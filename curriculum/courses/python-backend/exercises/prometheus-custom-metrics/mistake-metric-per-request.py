from typing import Literal

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import BaseModel, Field


class Order(BaseModel):
    item: str
    amount: float = Field(gt=0)
    payment_method: Literal["card", "paypal", "invoice"]


app = FastAPI()


@app.post("/orders", status_code=201)
async def create_order(order: Order) -> dict[str, str]:
    orders = Counter("orders_created", "Orders created", ["payment_method"])
    orders.labels(payment_method=order.payment_method).inc()
    amount = Histogram("order_amount_euros", "Order amount", buckets=(10, 50, 100, 500))
    amount.observe(order.amount)
    return {"status": "created", "item": order.item}


@app.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
