"""The shop's domain errors mapped to HTTP responses in one place, with logging."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

log = logging.getLogger("shop")


class ShopError(Exception):
    status_code = 400
    code = "shop_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(ShopError):
    status_code = 404
    code = "not_found"


class OutOfStock(ShopError):
    status_code = 409
    code = "out_of_stock"


STOCK = {"pen": 3}
app = FastAPI()


@app.exception_handler(ShopError)
async def shop_error(request: Request, exc: ShopError) -> JSONResponse:
    log.warning("%s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        status_code=exc.status_code,
        content={"error": exc.code, "message": str(exc), "details": exc.details},
    )


@app.exception_handler(Exception)
async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        status_code=500, content={"error": "internal", "message": "something went wrong"}
    )


@app.post("/reservations/{sku}")
def reserve(sku: str, quantity: int = 1) -> dict[str, int]:
    if sku not in STOCK:
        raise NotFound(f"unknown product {sku!r}", sku=sku)
    if STOCK[sku] < quantity:
        raise OutOfStock("not enough stock", sku=sku, available=STOCK[sku])
    STOCK[sku] -= quantity
    return {"remaining": STOCK[sku]}


@app.get("/report")
def report() -> dict[str, float]:
    return {"ratio": STOCK["pen"] / 0}
