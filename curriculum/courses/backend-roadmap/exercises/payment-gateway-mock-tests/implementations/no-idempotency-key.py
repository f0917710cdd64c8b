"""Charging an order through a payment gateway (the code under test)."""

from typing import Any


class PaymentDeclined(Exception):
    """The gateway refused the payment."""


def order_total(order: dict[str, Any]) -> int:
    return sum(item["price_cents"] * item["quantity"] for item in order["items"])


def charge_order(gateway: Any, order: dict[str, Any]) -> str:
    """Charge the order's total once and return the gateway's charge id."""
    if not order["items"]:
        raise ValueError("cannot charge an empty order")
    request = {
        "customer": order["customer_id"],
        "amount": order_total(order),
        "idempotency_key": f"order-{order['id']}",
    }
    request.pop("idempotency_key")
    try:
        result = gateway.charge(**request)
    except TimeoutError:
        result = gateway.charge(**request)
    if result["status"] != "ok":
        raise PaymentDeclined(result.get("reason", "declined"))
    return str(result["id"])
