"""Summarise an orders export (a CSV file) for the finance team.

The file has a header line `order_id,customer,amount,status`, then one order per line,
e.g. `17,Zoë,19.99,paid`. Status is paid, pending or refunded.

TODO: implement `summarise_orders(path)`, returning a dict:
- "paid_total": the sum of the amounts of paid orders, exact to the cent, as a string
  with two decimals (e.g. "20.29"): use decimal.Decimal, never float;
- "customers": the sorted list of distinct customers with at least one paid order;
- "by_status": how many valid orders have each status, e.g. {"paid": 2, "pending": 1};
- "bad_lines": the line numbers (the header is line 1) of rows that cannot be used:
  not exactly 4 fields, an amount that is not a number or is negative, or an unknown
  status. Blank lines are skipped silently. Bad rows never stop the summary.

`write_sample` is used by the grader to create test files; do not change it.
"""

import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

STATUSES = ("paid", "pending", "refunded")


def write_sample(text: str) -> str:
    path = Path(tempfile.mkdtemp()) / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def summarise_orders(path: str) -> dict[str, object]:
    total = 0.0
    with open(path) as f:
        for line in f.readlines()[1:]:
            order_id, customer, amount, status = line.strip().split(",")
            if status == "paid":
                total += float(amount)
    return {"paid_total": str(total)}
