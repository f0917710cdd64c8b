"""A notes service for a team wiki. Add the notes endpoints described in the exercise."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="Notes")


class NoteIn(BaseModel):
    title: str
    body: str = ""


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


# TODO: a `Note` model for responses (NoteIn's fields plus `id: int`)
# TODO: POST /notes -> 201 with the created note, ids 1, 2, 3...
# TODO: GET /notes  -> every note created so far, oldest first
