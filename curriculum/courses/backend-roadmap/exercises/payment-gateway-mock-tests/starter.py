"""Tests for charge_order. They must pass on correct code and catch broken versions."""

from unittest.mock import Mock

import pytest

from app_under_test import PaymentDeclined, charge_order

ORDER = {
    "id": 42,
    "customer_id": "cus_9",
    "items": [{"price_cents": 250, "quantity": 4}, {"price_cents": 1000, "quantity": 1}],
}


def test_returns_the_charge_id() -> None:
    gateway = Mock()
    gateway.charge.return_value = {"status": "ok", "id": "ch_1"}
    assert charge_order(gateway, ORDER) == "ch_1"


# TODO: check the exact call (amount, customer, idempotency key), a declined payment,
# one retry after a TimeoutError (same key), a second timeout, and an empty order.
