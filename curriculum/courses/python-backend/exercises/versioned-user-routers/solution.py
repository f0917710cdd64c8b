"""A users API that serves two contract versions side by side."""

from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel

USERS = {
    1: {"first_name": "Ada", "last_name": "Lovelace"},
    2: {"first_name": "Alan", "last_name": "Turing"},
}


def find_user(user_id: int) -> dict[str, str]:
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


class UserV1(BaseModel):
    id: int
    name: str


class UserV2(BaseModel):
    id: int
    first_name: str
    last_name: str


v1 = APIRouter(prefix="/users", tags=["v1"])
v2 = APIRouter(prefix="/users", tags=["v2"])


@v1.get("/{user_id}", deprecated=True)
def read_user_v1(user_id: int) -> UserV1:
    user = find_user(user_id)
    return UserV1(id=user_id, name=f"{user['first_name']} {user['last_name']}")


@v2.get("/{user_id}")
def read_user_v2(user_id: int) -> UserV2:
    return UserV2(id=user_id, **find_user(user_id))


app = FastAPI(title="Users")
app.include_router(v1, prefix="/v1")
app.include_router(v2, prefix="/v2")
