"""Newsletter sign-ups with FastAPI and Pydantic v2."""

from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, Field, field_validator

app = FastAPI(title="Newsletter")

Topic = Literal["python", "devops", "data"]
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"


class SubscriberIn(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    name: str = Field(min_length=1, max_length=50)
    topics: list[Topic] = Field(default_factory=list, max_length=3)

    @field_validator("name", mode="before")
    @classmethod
    def strip_name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("topics")
    @classmethod
    def unique_topics(cls, value: list[Topic]) -> list[Topic]:
        return list(dict.fromkeys(value))


class SubscriberOut(BaseModel):
    id: int
    name: str
    topics: list[Topic]


subscribers: list[dict[str, Any]] = []


@app.post("/subscribers", status_code=201, response_model=SubscriberOut)
async def subscribe(payload: SubscriberIn) -> dict[str, object]:
    if any(row["email"] == payload.email for row in subscribers):
        raise HTTPException(status_code=409, detail="already subscribed")
    row = {"id": len(subscribers) + 1, **payload.model_dump()}
    subscribers.append(row)
    return row


@app.get("/subscribers", response_model=list[SubscriberOut])
async def list_subscribers(
    topic: Annotated[Topic | None, Query()] = None,
) -> list[dict[str, object]]:
    if topic is None:
        return subscribers
    return [row for row in subscribers if topic in row["topics"]]
