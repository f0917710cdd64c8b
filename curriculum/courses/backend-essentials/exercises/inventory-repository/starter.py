"""CRUD for a warehouse inventory, in SQLite.

TODO: implement the five functions over the `items` table below. Always pass values as
query parameters (`?`), never by formatting them into the SQL text.

- create_item(name, quantity) -> the new item's id. A duplicate name or a negative
  quantity raises ValueError (the table's constraints detect both).
- get_item(item_id) -> {"id": ..., "name": ..., "quantity": ...}, or None if missing.
- list_items(min_quantity=0) -> the items with quantity >= min_quantity, sorted by name,
  as dicts like get_item's.
- update_quantity(item_id, quantity) -> True if the item existed and was updated, False
  if there is no such item; a negative quantity raises ValueError.
- delete_item(item_id) -> True if an item was deleted, False if there was none.
"""

import sqlite3

conn = sqlite3.connect(":memory:")
conn.execute(
    """CREATE TABLE items (
           id       INTEGER PRIMARY KEY,
           name     TEXT NOT NULL UNIQUE,
           quantity INTEGER NOT NULL CHECK (quantity >= 0))"""
)


def create_item(name: str, quantity: int) -> int:
    raise NotImplementedError


def get_item(item_id: int) -> dict[str, object] | None:
    raise NotImplementedError


def list_items(min_quantity: int = 0) -> list[dict[str, object]]:
    raise NotImplementedError


def update_quantity(item_id: int, quantity: int) -> bool:
    raise NotImplementedError


def delete_item(item_id: int) -> bool:
    raise NotImplementedError
