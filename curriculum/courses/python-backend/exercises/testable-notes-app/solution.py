"""A notes API built by a factory, with its store injected through a dependency."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel


class NoteIn(BaseModel):
    text: str


class Note(NoteIn):
    id: int


class NoteStore:
    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}

    def add(self, text: str) -> Note:
        note = Note(id=len(self._notes) + 1, text=text)
        self._notes[note.id] = note
        return note

    def get(self, note_id: int) -> Note | None:
        return self._notes.get(note_id)


def get_store(request: Request) -> NoteStore:
    store: NoteStore = request.app.state.store
    return store


Store = Annotated[NoteStore, Depends(get_store)]
router = APIRouter()


@router.post("/notes", status_code=201)
def create_note(note: NoteIn, store: Store) -> Note:
    return store.add(note.text)


@router.get("/notes/{note_id}")
def read_note(note_id: int, store: Store) -> Note:
    note = store.get(note_id)
    if note is None:
        raise HTTPException(status_code=404, detail="note not found")
    return note


def create_app() -> FastAPI:
    app = FastAPI(title="notes")
    app.state.store = NoteStore()
    app.include_router(router)
    return app


app = create_app()
