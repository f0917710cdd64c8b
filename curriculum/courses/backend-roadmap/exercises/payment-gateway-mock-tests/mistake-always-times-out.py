"""Tests for charge_order. They must pass on correct code and catch broken versions."""

from unittest.mock import Mock, call

import pytest

from app_under_test import PaymentDeclined, charge_order

ORDER = {
    "id": 42,
    "customer_id": "cus_9",
    "items": [{"price_cents": 250, "quantity": 4}, {"price_cents": 1000, "quantity": 1}],
}
EXPECTED_CALL = call(customer="cus_9", amount=2000, idempotency_key="order-42")


@pytest.fixture
def gateway() -> Mock:
    fake = Mock(spec_set=["charge"])
    fake.charge.return_value = {"status": "ok", "id": "ch_1"}
    return fake


def test_charges_the_total_once_with_an_idempotency_key(gateway: Mock) -> None:
    assert charge_order(gateway, ORDER) == "ch_1"
    assert gateway.charge.call_args_list == [EXPECTED_CALL]


def test_declined_payment_raises(gateway: Mock) -> None:
    gateway.charge.return_value = {"status": "declined", "reason": "insufficient funds"}
    with pytest.raises(PaymentDeclined, match="insufficient funds"):
        charge_order(gateway, ORDER)


def test_timeout_propagates(gateway: Mock) -> None:
    gateway.charge.side_effect = TimeoutError("slow")  # every call times out
    with pytest.raises(TimeoutError):
        charge_order(gateway, ORDER)


def test_empty_order_is_refused_without_charging(gateway: Mock) -> None:
    with pytest.raises(ValueError):
        charge_order(gateway, {**ORDER, "items": []})
    gateway.charge.assert_not_called()
