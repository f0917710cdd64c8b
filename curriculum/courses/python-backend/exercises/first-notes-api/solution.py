"""A notes service for a team wiki."""

from fastapi import FastAPI, status
from pydantic import BaseModel, Field

app = FastAPI(title="Notes")


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str = ""


class Note(NoteIn):
    id: int


notes: list[Note] = []


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/notes", status_code=status.HTTP_201_CREATED)
def create_note(payload: NoteIn) -> Note:
    note = Note(id=len(notes) + 1, **payload.model_dump())
    notes.append(note)
    return note


@app.get("/notes")
def list_notes() -> list[Note]:
    return notes
