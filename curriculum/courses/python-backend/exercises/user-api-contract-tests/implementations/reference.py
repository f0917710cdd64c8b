"""A users API whose response shape is a contract with the mobile app (the code under test)."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str


USERS = {
    1: {"id": 1, "email": "ada@example.com", "display_name": "Ada", "password_hash": "x1$9f"},
}

app = FastAPI()


@app.get("/users/{user_id}", response_model=UserOut)
def read_user(user_id: int) -> dict[str, object]:
    user = USERS.get(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="user not found")
    return user
