from fastapi import FastAPI
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


@app.post("/accounts/{account_id}/withdraw", response_model=None)
async def withdraw_route(account_id: str, body: Withdrawal) -> dict[str, int] | JSONResponse:
    try:
        return {"balance": withdraw(account_id, body.amount)}
    except InsufficientFunds as exc:
        problem = {"type": "https://example.com/problems/insufficient-funds",
                   "title": "Insufficient funds", "status": 409, "detail": str(exc)}
        return JSONResponse(problem, status_code=409, media_type="application/problem+json")
    except AccountNotFound as exc:
        problem = {"type": "https://example.com/problems/account-not-found",
                   "title": "Account not found", "status": 404, "detail": str(exc)}
        return JSONResponse(problem, status_code=404, media_type="application/problem+json")
