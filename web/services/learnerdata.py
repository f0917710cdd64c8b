"""A learner's data, all of it: export it as JSON, or delete it with the account.

"All of it" is found from the schema, not from a list kept by hand: every table with a
foreign key to ``user.id`` holds the learner's rows, and every table with a foreign key
to one of those holds rows that go with them (a flag on a learner's tutor reply). A
table added later is covered without touching this module.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, select
from sqlmodel import Session, SQLModel

from web.context import AppContext
from web.models import LoginAttempt, User
from web.services.transaction import in_transaction, reading

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


def _rows(db: Session, table: Table, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    result = db.execute(select(table).where(where).order_by(*table.primary_key.columns))
    return [{k: _plain(k, v) for k, v in row._mapping.items()} for row in result]


def export_of(db: Session, user_id: int) -> dict[str, Any]:
    """The learner's account and every row of theirs, per table (JSON text columns parsed)."""
    user = _learner(db, user_id)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, column in _dependents(_user_table()):
        if table.name not in NOT_EXPORTED:
            rows = _rows(db, table, column == user_id)
            tables[table.name] = tables.get(table.name, []) + rows
    return {
        "format": "tutor-learner-export/1",
        "exported_at": datetime.now().astimezone().isoformat(),
        "learner": {
            "id": user.id,
            "email": user.email,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
        },
        "tables": tables,
    }


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


async def export_learner(*, app: AppContext, user_id: int) -> dict[str, Any]:
    return await reading(app.db_engine, lambda db: export_of(db, user_id))


async def delete_learner(*, app: AppContext, user_id: int) -> str:
    """Delete the learner and all their data in one transaction; answer their email."""
    return await in_transaction(app.db_engine, lambda db: delete_all_of(db, user_id))
