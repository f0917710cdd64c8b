"""A learner's data, all of it: export it as JSON, or delete it with the account.

"All of it" is found from the schema, not from a list kept by hand: every table with a
foreign key to ``user.id`` holds the learner's rows, and every table with a foreign key
to one of those holds rows that go with them (a flag on a learner's tutor reply). A
table added later is covered without touching this module.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select
from sqlmodel import Session, SQLModel

from web.context import AppContext
from web.models import LoginAttempt, User
from web.services.transaction import in_transaction, read_in_chunks, reading

NOT_EXPORTED = frozenset({"auth_session", "password_reset"})
"""Rows that are secrets of the server, not the learner's data (token hashes)."""
MAX_DEPTH = 3


class NotALearner(Exception):
    """No such account, or one that is not a learner's (instructors are not deleted here)."""


def _dependents(table: Table) -> list[tuple[Table, ColumnElement[Any]]]:
    """Every (table, column) whose column is a foreign key to ``table``'s primary key."""
    found: list[tuple[Table, ColumnElement[Any]]] = []
    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.primary_key:
                found.append((other, fk.parent))
    return found


def _user_table() -> Table:
    return SQLModel.metadata.tables["user"]


def _learner(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.role != "learner":
        raise NotALearner("No such learner.")
    return user


def _plain(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if name.endswith("_json") and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


EXPORT_CHUNK = 500  # rows per database read of a streamed export


@dataclass(frozen=True)
class _Source:
    """One table of the export: its rows are those whose ``columns`` name the learner."""

    table: Table
    columns: list[ColumnElement[Any]]

    def where(self, user_id: int) -> ColumnElement[bool]:
        return or_(*(c == user_id for c in self.columns))


def _sources() -> list[_Source]:
    """The exported tables, in schema order, each once (a table with two foreign keys to
    ``user`` is one source)."""
    found: dict[str, _Source] = {}
    for table, column in _dependents(_user_table()):
        if table.name not in NOT_EXPORTED:
            found.setdefault(table.name, _Source(table, [])).columns.append(column)
    return list(found.values())


def _rows(
    db: Session, source: _Source, user_id: int, after: Any, size: int
) -> list[dict[str, Any]]:
    """The learner's rows of ``source`` in primary key order, ``size`` after the key
    ``after`` (tables with a composite key are read whole)."""
    keys = list(source.table.primary_key.columns)
    query = select(source.table).where(source.where(user_id)).order_by(*keys)
    if len(keys) == 1:
        if after is not None:
            query = query.where(keys[0] > after)
        query = query.limit(size)
    result = db.execute(query)
    return [{k: _plain(k, v) for k, v in row._mapping.items()} for row in result]


def _head(user: User) -> dict[str, Any]:
    return {
        "format": "tutor-learner-export/1",
        "exported_at": datetime.now().astimezone().isoformat(),
        "learner": {
            "id": user.id,
            "email": user.email,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
        },
    }


ExportKey = tuple[int, Any]
"""Where a streamed export goes on: the index of the table, and the last key written in
it (None: the table is not begun)."""


def export_chunk(
    db: Session, user_id: int, key: ExportKey | None, size: int = EXPORT_CHUNK
) -> tuple[str, ExportKey | None]:
    """The next piece of the export's JSON text after ``key`` (None: the start, which
    checks the learner again) and the key to go on from (None: the end). Joined, the
    pieces are one JSON object: ``format``, ``exported_at``, ``learner``, and ``tables``,
    every row of the learner's per table (JSON text columns parsed)."""
    sources = _sources()
    if key is None:
        head = json.dumps(_head(_learner(db, user_id)), ensure_ascii=False)
        return head[:-1] + ', "tables": {', (0, None)
    index, after = key
    if index >= len(sources):
        return "}}", None
    source = sources[index]
    rows = _rows(db, source, user_id, after, size)
    text = ", ".join(json.dumps(r, ensure_ascii=False) for r in rows)
    if after is None:
        text = f"{', ' if index else ''}{json.dumps(source.table.name)}: [" + text
    elif text:
        text = ", " + text
    keys = list(source.table.primary_key.columns)
    if len(keys) == 1 and len(rows) == size:
        return text, (index, rows[-1][keys[0].name])
    return text + "]", (index + 1, None)


def _delete_where(db: Session, table: Table, where: ColumnElement[bool], depth: int) -> None:
    """Delete ``table``'s rows matching ``where``, after the rows that point at them."""
    if depth < MAX_DEPTH and len(table.primary_key.columns) == 1:
        (pk,) = table.primary_key.columns
        for other, column in _dependents(table):
            _delete_where(db, other, column.in_(select(pk).where(where)), depth + 1)
    db.execute(delete(table).where(where))


def delete_all_of(db: Session, user_id: int) -> str:
    """Delete the learner, every row that references them and their login tries; answer
    their email."""
    user = _learner(db, user_id)
    email = user.email
    users = _user_table()
    for table, column in _dependents(users):
        _delete_where(db, table, column == user_id, 1)
    db.execute(delete(LoginAttempt).where(LoginAttempt.email == email))  # type: ignore[arg-type]
    db.execute(delete(users).where(users.c.id == user_id))
    return email


async def export_learner(*, app: AppContext, user_id: int) -> AsyncIterator[bytes]:
    """The learner's export as JSON text, streamed a chunk of rows at a time; raises
    ``NotALearner`` before anything is streamed."""
    await reading(app.db_engine, lambda db: _learner(db, user_id))

    def chunk(db: Session, key: ExportKey | None) -> tuple[str, ExportKey | None]:
        return export_chunk(db, user_id, key)

    return read_in_chunks(app.db_engine, chunk)


async def delete_learner(*, app: AppContext, user_id: int) -> str:
    """Delete the learner and all their data in one transaction; answer their email."""
    return await in_transaction(app.db_engine, lambda db: delete_all_of(db, user_id))
