"""A notes API with three OWASP Top 10 holes. Close them.

1. Broken access control: any logged-in user can read or change anyone's note.
   Users may only see and change their own notes; for everyone else a note that
   exists must look exactly like one that does not (404 {"detail": "note not found"}).
2. Injection: the search builds SQL with an f-string. Use parameters.
3. Mass assignment: PATCH accepts any field, so a client can change `owner`.
   Only `title` and `body` may be sent; any other field must be rejected with 422.
"""

import sqlite3
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException

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


@app.get("/notes/{note_id}")
def read_note(note_id: int, user: User) -> dict[str, Any]:
    row = db.execute("SELECT id, owner, title, body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "note not found")
    return dict(zip(COLUMNS, row, strict=True))


@app.get("/notes")
def search_notes(user: User, q: str = "") -> list[dict[str, Any]]:
    rows = db.execute(
        f"SELECT id, owner, title, body FROM notes WHERE owner = '{user}' AND body LIKE '%{q}%'"
    ).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


@app.patch("/notes/{note_id}")
def update_note(note_id: int, changes: dict[str, Any], user: User) -> dict[str, Any]:
    for column, value in changes.items():
        db.execute(f"UPDATE notes SET {column} = ? WHERE id = ?", (value, note_id))
    return read_note(note_id, user)
