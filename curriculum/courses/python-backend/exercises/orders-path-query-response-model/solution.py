"""Order history for a customer-service tool."""

from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Query
from pydantic import BaseModel

app = FastAPI(title="Orders")

# Rows as the database returns them: cost_price and internal_note are NOT for clients.
ORDERS = [
    {"id": 1, "user_id": 1, "status": "paid", "total": 25.0, "cost_price": 12.0,
     "internal_note": "VIP"},
    {"id": 2, "user_id": 1, "status": "pending", "total": 9.5, "cost_price": 4.0,
     "internal_note": ""},
    {"id": 3, "user_id": 2, "status": "shipped", "total": 100.0, "cost_price": 60.0,
     "internal_note": ""},
    {"id": 4, "user_id": 1, "status": "shipped", "total": 42.0, "cost_price": 30.0,
     "internal_note": "fragile"},
    {"id": 5, "user_id": 1, "status": "paid", "total": 7.25, "cost_price": 3.0,
     "internal_note": ""},
]

Status = Literal["pending", "paid", "shipped"]


class OrderOut(BaseModel):
    id: int
    status: Status
    total: float


@app.get("/users/{user_id}/orders", response_model=list[OrderOut])
def list_orders(
    user_id: Annotated[int, Path(ge=1)],
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    orders = [order for order in ORDERS if order["user_id"] == user_id]
    if status is not None:
        orders = [order for order in orders if order["status"] == status]
    return orders[:limit]
