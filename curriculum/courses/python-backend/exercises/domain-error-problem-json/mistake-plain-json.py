from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

BALANCES = {"acc-1": 100}


class DomainError(Exception):
    pass


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


@app.exception_handler(InsufficientFunds)
async def insufficient(request: Request, exc: InsufficientFunds) -> JSONResponse:
    return JSONResponse({"type": "https://example.com/problems/insufficient-funds",
                         "title": "Insufficient funds", "status": 409, "detail": str(exc)},
                        status_code=409)


@app.exception_handler(AccountNotFound)
async def not_found(request: Request, exc: AccountNotFound) -> JSONResponse:
    return JSONResponse({"type": "https://example.com/problems/account-not-found",
                         "title": "Account not found", "status": 404, "detail": str(exc)},
                        status_code=404)


@app.post("/accounts/{account_id}/withdraw")
async def withdraw_route(account_id: str, body: Withdrawal) -> dict[str, int]:
    return {"balance": withdraw(account_id, body.amount)}
