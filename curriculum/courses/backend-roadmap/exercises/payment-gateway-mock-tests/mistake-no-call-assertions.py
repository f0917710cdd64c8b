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


def test_declined_payment_raises() -> None:
    gateway = Mock()
    gateway.charge.return_value = {"status": "declined", "reason": "insufficient funds"}
    with pytest.raises(PaymentDeclined):
        charge_order(gateway, ORDER)


def test_retry_after_a_timeout_returns_the_charge_id() -> None:
    gateway = Mock()
    gateway.charge.side_effect = [TimeoutError("slow"), {"status": "ok", "id": "ch_2"}]
    assert charge_order(gateway, ORDER) == "ch_2"


def test_empty_order_is_refused() -> None:
    with pytest.raises(ValueError):
        charge_order(Mock(), {**ORDER, "items": []})
