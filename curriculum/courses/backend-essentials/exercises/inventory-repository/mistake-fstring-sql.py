"""CRUD for a warehouse inventory, in SQLite."""

import sqlite3

conn = sqlite3.connect(":memory:")
conn.execute(
    """CREATE TABLE items (
           id       INTEGER PRIMARY KEY,
           name     TEXT NOT NULL UNIQUE,
           quantity INTEGER NOT NULL CHECK (quantity >= 0))"""
)


def create_item(name: str, quantity: int) -> int:
    try:
        with conn:
            cur = conn.execute(f"INSERT INTO items (name, quantity) VALUES ('{name}', {quantity})")
    except sqlite3.IntegrityError as err:
        raise ValueError(f"cannot create {name!r}: {err}") from err
    assert cur.lastrowid is not None
    return cur.lastrowid


def get_item(item_id: int) -> dict[str, object] | None:
    row = conn.execute("SELECT id, name, quantity FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    return {"id": row[0], "name": row[1], "quantity": row[2]}


def list_items(min_quantity: int = 0) -> list[dict[str, object]]:
    rows = conn.execute(
        "SELECT id, name, quantity FROM items WHERE quantity >= ? ORDER BY name",
        (min_quantity,),
    )
    return [{"id": r[0], "name": r[1], "quantity": r[2]} for r in rows]


def update_quantity(item_id: int, quantity: int) -> bool:
    try:
        with conn:
            cur = conn.execute("UPDATE items SET quantity = ? WHERE id = ?", (quantity, item_id))
    except sqlite3.IntegrityError as err:
        raise ValueError(f"invalid quantity {quantity}") from err
    return cur.rowcount == 1


def delete_item(item_id: int) -> bool:
    with conn:
        cur = conn.execute("DELETE FROM items WHERE id = ?", (item_id,))
    return cur.rowcount == 1
