"""Accounts API: domain errors become Problem Details responses."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
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


PROBLEMS: dict[type[DomainError], tuple[int, str, str]] = {
    AccountNotFound: (404, "account-not-found", "Account not found"),
    InsufficientFunds: (409, "insufficient-funds", "Insufficient funds"),
}

app = FastAPI()


@app.exception_handler(DomainError)
async def domain_error_handler(request: Request, exc: DomainError) -> JSONResponse:
    status, slug, title = PROBLEMS.get(type(exc), (400, "domain-error", "Request refused"))
    body = {
        "type": f"https://example.com/problems/{slug}",
        "title": title,
        "status": status,
        "detail": str(exc),
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


@app.post("/accounts/{account_id}/withdraw")
async def withdraw_route(account_id: str, body: Withdrawal) -> dict[str, int]:
    return {"balance": withdraw(account_id, body.amount)}
