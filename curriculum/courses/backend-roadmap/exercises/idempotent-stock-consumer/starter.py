"""The inventory service consumes order events from a broker that delivers at least once.

Events look like:
    {"id": "e-1", "type": "OrderPlaced", "version": 1,
     "data": {"order_id": 7, "sku": "pen", "quantity": 3}}

TODO: implement `handle(event)`, returning what happened:
- "duplicate" if an event with this id was handled before (whatever its outcome):
  the broker redelivers events, and each must take effect at most once;
- "ignored" for an event type this consumer does not know (newer producers may
  publish more types); ignored events are not recorded;
- "OrderPlaced" reserves the quantity: "applied", or "rejected" (and no change) when
  the sku is unknown or not enough stock is available;
- "OrderCancelled" releases the quantity back: "applied" (unknown sku: "rejected").
Record the event id in `processed` in the same transaction as the stock change.
"""

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


def handle(event: dict[str, Any]) -> str:
    data = event["data"]
    db.execute(
        "UPDATE stock SET available = available - ? WHERE sku = ?", (data["quantity"], data["sku"])
    )
    return "applied"
