from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel


class User(BaseModel):
    name: str
    role: str


TOKENS = {
    "t-ann": User(name="ann", role="admin"),
    "t-bob": User(name="bob", role="member"),
}


def get_current_user(authorization: Annotated[str | None, Header()] = None) -> User:
    scheme, _, token = (authorization or "").partition(" ")
    user = TOKENS.get(token) if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPException(401, "not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return user


def require_admin(authorization: Annotated[str | None, Header()] = None) -> None:
    token = (authorization or "").removeprefix("Bearer ")
    user = TOKENS.get(token)
    if user is None or user.role != "admin":
        raise HTTPException(403, "admins only")


app = FastAPI()


@app.get("/me")
def me(user: Annotated[User, Depends(get_current_user)]) -> User:
    return user


@app.get("/admin/stats", dependencies=[Depends(require_admin)])
def admin_stats() -> dict[str, int]:
    return {"users": len(TOKENS)}
