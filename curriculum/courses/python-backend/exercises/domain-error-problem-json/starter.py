"""Accounts API: turn domain errors into Problem Details responses.

The business layer (`withdraw`) raises `AccountNotFound` and `InsufficientFunds`; today
they crash the request with a 500. TODO: register exception handlers so that

- `InsufficientFunds` -> 409 and `AccountNotFound` -> 404,
- the body is a Problem Details object:
  {"type": "https://example.com/problems/<slug>", "title": ..., "status": ..., "detail": str(exc)}
  where <slug> is "insufficient-funds" or "account-not-found",
- the media type is "application/problem+json".

Do not change `withdraw` or the route: the mapping belongs in the handlers.
"""

from fastapi import FastAPI
from pydantic import BaseModel, Field

BALANCES = {"acc-1": 100}


class DomainError(Exception):
    """Base class of the errors the business layer raises on purpose."""


class AccountNotFound(DomainError):
    def __init__(self, account_id: str) -> None:
        super().__init__(f"account {account_id} does not exist")


class InsufficientFunds(DomainError):
    def __init__(self, balance: int, requested: int) -> None:
        super().__init__(f"balance {balance} is lower than the requested {requested}")


def withdraw(account_id: str, amount: int) -> int:
    if account_id not in BALANCES:
        raise AccountNotFound(account_id)
    if amount > BALANCES[account_id]:
        raise InsufficientFunds(BALANCES[account_id], amount)
    BALANCES[account_id] -= amount
    return BALANCES[account_id]


class Withdrawal(BaseModel):
    amount: int = Field(gt=0)


app = FastAPI()


@app.post("/accounts/{account_id}/withdraw")
async def withdraw_route(account_id: str, body: Withdrawal) -> dict[str, int]:
    return {"balance": withdraw(account_id, body.amount)}
