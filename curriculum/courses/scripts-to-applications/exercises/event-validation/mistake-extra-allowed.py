"""Validate event sign-ups with a pydantic v2 model used by a FastAPI route.

`EventIn` accepts exactly these fields, and nothing else (unknown fields are errors):
- `title`: text, surrounding whitespace removed, 1 to 100 characters after stripping;
- `starts_at`, `ends_at`: datetimes, and `ends_at` must be after `starts_at`;
- `seats`: an integer from 1 to 500;
- `tags`: up to 5 tags (default: none), each lower-cased, duplicates removed, first order kept.
"""

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class EventIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=100)
    starts_at: datetime
    ends_at: datetime
    seats: int = Field(ge=1, le=500)
    tags: list[str] = Field(default_factory=list, max_length=5)

    @field_validator("tags")
    @classmethod
    def normalise_tags(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tag.lower() for tag in tags))

    @model_validator(mode="after")
    def ends_after_start(self) -> "EventIn":
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


# --- given: used by the grader ------------------------------------------------------
app = FastAPI()


@app.post("/events", status_code=201)
def create_event(event: EventIn) -> dict[str, object]:
    return event.model_dump(mode="json")


def post(payload: object) -> list[object]:
    """POST the payload to /events; return [status, body-or-sorted-error-fields]."""
    response = TestClient(app).post("/events", json=payload)
    if response.status_code == 422:
        fields = {
            str(error["loc"][1]) if len(error["loc"]) > 1 else "__root__"
            for error in response.json()["detail"]
        }
        return [422, sorted(fields)]
    return [response.status_code, response.json()]
