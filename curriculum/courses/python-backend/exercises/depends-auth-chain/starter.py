"""Team API: authentication and authorisation as a chain of dependencies.

TODO:
1. `get_current_user`: read the `Authorization: Bearer <token>` header and return the
   matching `User` from TOKENS. Missing header, another scheme or an unknown token ->
   401 with the header `WWW-Authenticate: Bearer`.
2. `require_admin`: depends on `get_current_user`; a non-admin user -> 403.
3. `GET /me` returns the current user; `GET /admin/stats` is for admins only.
"""

from fastapi import FastAPI
from pydantic import BaseModel


class User(BaseModel):
    name: str
    role: str


TOKENS = {
    "t-ann": User(name="ann", role="admin"),
    "t-bob": User(name="bob", role="member"),
}

app = FastAPI()


@app.get("/me")
def me() -> User:
    raise NotImplementedError


@app.get("/admin/stats")
def admin_stats() -> dict[str, int]:
    return {"users": len(TOKENS)}
