"""An orders API with two versions, validated input and Problem Details errors.

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

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field


class OrderNotFound(Exception):
    def __init__(self, order_id: int) -> None:
        super().__init__(order_id)
        self.order_id = order_id


class OrderRecord(BaseModel):
    """Given: what the service stores."""

    id: int
    sku: str
    quantity: int
    status: str = "pending"
    internal_note: str = ""


DB: dict[int, OrderRecord] = {}


def load(order_id: int) -> OrderRecord:
    record = DB.get(order_id)
    if record is None:
        raise HTTPException(404, detail="Order not found")
    return record


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=3, max_length=32)
    quantity: int = Field(ge=1, le=100)


class OrderOutV1(BaseModel):
    id: int
    sku: str
    quantity: int
    status: str


class Line(BaseModel):
    sku: str
    quantity: int


class OrderOutV2(BaseModel):
    id: int
    status: str
    line: Line


v1 = APIRouter()
v2 = APIRouter()


@v1.post("/orders", status_code=201, response_model=OrderOutV1)
def create_order(body: OrderCreate) -> OrderRecord:
    record = OrderRecord(id=len(DB) + 1, **body.model_dump(), internal_note="check address")
    DB[record.id] = record
    return record


@v1.get("/orders/{order_id}", response_model=OrderOutV1)
def get_order_v1(order_id: int) -> OrderRecord:
    return load(order_id)


@v2.get("/orders/{order_id}")
def get_order_v2(order_id: int) -> OrderOutV2:
    record = load(order_id)
    return OrderOutV2(id=record.id, status=record.status,
                      line=Line(sku=record.sku, quantity=record.quantity))


app = FastAPI()
app.include_router(v1, prefix="/v1")
app.include_router(v2, prefix="/v2")


@app.exception_handler(OrderNotFound)
async def order_not_found(request: Request, exc: OrderNotFound) -> JSONResponse:
    body = {"type": "about:blank", "title": "Order not found", "status": 404,
            "detail": f"order {exc.order_id} does not exist"}
    return JSONResponse(body, status_code=404, media_type="application/problem+json")
