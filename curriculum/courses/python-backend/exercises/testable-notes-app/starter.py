"""A notes API that is hard to test: one global store shared by every app and every test."""

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()
_notes: dict[int, str] = {}


class NoteIn(BaseModel):
    text: str


@app.post("/notes", status_code=201)
def create_note(note: NoteIn) -> dict[str, int | str]:
    note_id = len(_notes) + 1
    _notes[note_id] = note.text
    return {"id": note_id, "text": note.text}


@app.get("/notes/{note_id}")
def read_note(note_id: int) -> dict[str, int | str]:
    if note_id not in _notes:
        raise HTTPException(status_code=404, detail="note not found")
    return {"id": note_id, "text": _notes[note_id]}
