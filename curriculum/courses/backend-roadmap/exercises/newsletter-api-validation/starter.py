"""Newsletter sign-ups with FastAPI and Pydantic v2.

TODO:
1. `SubscriberIn`: strip and lower-case `email` before validating it (a
   `@field_validator("email", mode="before")`); `name` is stripped and must then be
   1-50 characters; `topics` holds at most 3 of "python", "devops", "data", with
   duplicates removed (first occurrence kept).
2. `POST /subscribers` answers 201 with `{"id", "name", "topics"}` only: the email
   must never appear in a response. A second sign-up with the same (normalised)
   email gets 409 {"detail": "already subscribed"}.
3. `GET /subscribers?topic=...` lists subscribers (public fields only), filtered by
   topic when one is given; an unknown topic is a 422.
"""

from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Newsletter")

Topic = Literal["python", "devops", "data"]


class SubscriberIn(BaseModel):
    email: str
    name: str
    topics: list[str] = []


subscribers: list[dict[str, object]] = []


@app.post("/subscribers")
async def subscribe(payload: SubscriberIn) -> dict[str, object]:
    row = {"id": len(subscribers) + 1, **payload.model_dump()}
    subscribers.append(row)
    return row


@app.get("/subscribers")
async def list_subscribers() -> list[dict[str, object]]:
    return subscribers
