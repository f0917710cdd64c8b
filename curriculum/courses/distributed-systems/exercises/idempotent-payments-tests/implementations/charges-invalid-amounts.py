"""A payments endpoint made safe to retry with an Idempotency-Key header."""

from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Response
from pydantic import BaseModel


class PaymentGateway:
    """The real payment provider: never reachable from tests."""

    def charge(self, amount: int) -> str:
        raise RuntimeError("the real payment provider cannot be called from tests")


def get_gateway() -> PaymentGateway:
    return PaymentGateway()


class Payment(BaseModel):
    amount: int


def create_app() -> FastAPI:
    app = FastAPI()
    results: dict[str, tuple[int, dict[str, object]]] = {}

    @app.post("/payments", status_code=201)
    def pay(
        body: Payment,
        response: Response,
        gateway: Annotated[PaymentGateway, Depends(get_gateway)],
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        if not idempotency_key:
            raise HTTPException(400, "Idempotency-Key header required")
        if idempotency_key in results:
            amount, stored = results[idempotency_key]
            if amount != body.amount:
                raise HTTPException(422, "Idempotency-Key reused with a different request")
            response.status_code = 200
            return stored
        charge_id = gateway.charge(body.amount)
        result: dict[str, object] = {"charge_id": charge_id, "amount": body.amount}
        results[idempotency_key] = (body.amount, result)
        return result

    return app
