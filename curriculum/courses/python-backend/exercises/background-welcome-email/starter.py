"""Sign-up API: send the welcome email in the background.

`send_welcome_email` is slow (it talks to the mail provider), so the client must not
wait for it. TODO: in `signup`, after the user is registered, schedule
`send_welcome_email(email, name)` with FastAPI's `BackgroundTasks`. Rejected sign-ups
(409 duplicate, 422 invalid) must not send anything.
"""

import time

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

OUTBOX: list[dict[str, str]] = []  # what the mail provider "sent"
USERS: dict[str, str] = {}


def send_welcome_email(email: str, name: str) -> None:
    """Given: a slow call to the mail provider."""
    time.sleep(0.05)
    OUTBOX.append({"to": email, "subject": f"Welcome, {name}!"})


class SignUp(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", max_length=254)
    name: str = Field(min_length=1, max_length=50)


app = FastAPI()


@app.post("/signup", status_code=201)
def signup(body: SignUp) -> dict[str, str]:
    if body.email in USERS:
        raise HTTPException(status_code=409, detail="email already registered")
    USERS[body.email] = body.name
    return {"email": body.email, "status": "registered"}


@app.get("/outbox")
def outbox() -> list[dict[str, str]]:
    return OUTBOX
