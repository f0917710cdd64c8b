"""Team API: authentication and authorisation as a chain of dependencies."""

from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, status
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
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="admins only")
    return user


app = FastAPI()


@app.get("/me")
def me(user: CurrentUser) -> User:
    return user


@app.get("/admin/stats", dependencies=[Depends(require_admin)])
def admin_stats() -> dict[str, int]:
    return {"users": len(TOKENS)}
