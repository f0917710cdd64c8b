"""An idempotent consumer of order events (at-least-once delivery)."""

import sqlite3
from typing import Any

db = sqlite3.connect(":memory:")
db.executescript("""
    CREATE TABLE stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0));
    CREATE TABLE processed (event_id TEXT PRIMARY KEY, outcome TEXT NOT NULL);
    INSERT INTO stock VALUES ('pen', 10), ('ink', 5);
""")


def available(sku: str) -> int:
    row = db.execute("SELECT available FROM stock WHERE sku = ?", (sku,)).fetchone()
    return -1 if row is None else int(row[0])


_CHANGE = {"OrderPlaced": -1, "OrderCancelled": +1}


def _apply(sku: str, delta: int) -> bool:
    """Change the stock; False if the sku is unknown or the stock would go negative."""
    cursor = db.execute(
        "UPDATE stock SET available = max(available + ?, 0) WHERE sku = ?",
        (delta, sku),
    )
    return cursor.rowcount == 1


def handle(event: dict[str, Any]) -> str:
    if db.execute("SELECT 1 FROM processed WHERE event_id = ?", (event["id"],)).fetchone():
        return "duplicate"
    sign = _CHANGE.get(event.get("type", ""))
    if sign is None:
        return "ignored"
    data = event["data"]
    with db:  # one transaction: the stock change and the processed record, or neither
        outcome = "applied" if _apply(data["sku"], sign * int(data["quantity"])) else "rejected"
        db.execute("INSERT INTO processed VALUES (?, ?)", (event["id"], outcome))
    return outcome
