"""An orders endpoint whose input is validated by Pydantic v2 models."""

from typing import Annotated

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

app = FastAPI(title="Orders")


class Line(BaseModel):

    sku: Annotated[str, Field(pattern=r"^[A-Z]{3}-\d{3}$")]
    quantity: int = Field(ge=1, le=100)
    unit_price_cents: int = Field(gt=0)


class OrderIn(BaseModel):

    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    lines: list[Line] = Field(min_length=1, max_length=20)

    @field_validator("customer_email")
    @classmethod
    def lower_case(cls, value: str) -> str:
        return value.lower()

    @field_validator("lines")
    @classmethod
    def distinct_skus(cls, lines: list[Line]) -> list[Line]:
        skus = [line.sku for line in lines]
        if len(set(skus)) != len(skus):
            raise ValueError("each SKU may appear only once per order")
        return lines


class Order(OrderIn):
    id: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_cents(self) -> int:
        return sum(line.quantity * line.unit_price_cents for line in self.lines)


orders: dict[int, Order] = {}


@app.post("/orders", status_code=status.HTTP_201_CREATED)
def create_order(payload: OrderIn) -> Order:
    order = Order(id=len(orders) + 1, **payload.model_dump())
    orders[order.id] = order
    return order


@app.get("/orders/{order_id}")
def read_order(order_id: int) -> Order:
    if order_id not in orders:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="order not found")
    return orders[order_id]
