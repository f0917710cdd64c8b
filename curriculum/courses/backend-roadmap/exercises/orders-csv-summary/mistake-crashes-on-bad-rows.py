"""Summarise an orders export (a CSV file) for the finance team."""

import csv
import tempfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

STATUSES = ("paid", "pending", "refunded")


def write_sample(text: str) -> str:
    path = Path(tempfile.mkdtemp()) / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _parse(row: list[str]) -> tuple[str, Decimal, str] | None:
    """(customer, amount, status) for a usable row, None otherwise."""
    if len(row) != 4:
        return None
    _, customer, amount_text, status = (field.strip() for field in row)
    try:
        amount = Decimal(amount_text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0 or status not in STATUSES:
        return None
    return customer, amount, status


def summarise_orders(path: str) -> dict[str, object]:
    paid_total = Decimal("0")
    customers: set[str] = set()
    by_status: Counter[str] = Counter()
    bad_lines: list[int] = []
    with open(path, encoding="utf-8", newline="") as f:
        for line_number, row in enumerate(csv.reader(f), start=1):
            if line_number == 1 or not any(field.strip() for field in row):
                continue  # the header, or a blank line
            _, customer, amount_text, status = (field.strip() for field in row)
            amount = Decimal(amount_text)
            by_status[status] += 1
            if status == "paid":
                paid_total += amount
                customers.add(customer)
    return {
        "paid_total": str(paid_total.quantize(Decimal("0.01"))),
        "customers": sorted(customers),
        "by_status": dict(by_status),
        "bad_lines": bad_lines,
    }
