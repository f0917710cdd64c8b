"""A users API that must serve two contract versions side by side."""

from fastapi import FastAPI

app = FastAPI(title="Users")

USERS = {
    1: {"first_name": "Ada", "last_name": "Lovelace"},
    2: {"first_name": "Alan", "last_name": "Turing"},
}


# TODO: move this into a v1 APIRouter mounted under /v1, add a v2 router under /v2.
@app.get("/users/{user_id}")
def read_user(user_id: int) -> dict[str, int | str]:
    user = USERS[user_id]
    return {"id": user_id, "name": f"{user['first_name']} {user['last_name']}"}
