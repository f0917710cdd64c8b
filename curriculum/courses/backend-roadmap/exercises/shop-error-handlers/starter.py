"""Map the shop's domain errors to HTTP responses in one place, and log what matters.

TODO:
1. Register an exception handler for ShopError (it covers every subclass): answer
   `exc.status_code` with {"error": exc.code, "message": str(exc), "details": exc.details},
   and log a WARNING on the "shop" logger with the message.
2. Register a handler for any other Exception: answer 500 with exactly
   {"error": "internal", "message": "something went wrong"} (no internals leak), and log
   the exception with its traceback at ERROR level (logger.exception) on the "shop" logger.
The routes must stay as they are: they raise, the handlers translate.
"""

import logging

from fastapi import FastAPI

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
