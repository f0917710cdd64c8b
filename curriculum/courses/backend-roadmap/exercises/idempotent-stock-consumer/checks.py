def _event(event_id, event_type, sku="pen", quantity=3, order_id=7):
    return {
        "id": event_id,
        "type": event_type,
        "version": 1,
        "data": {"order_id": order_id, "sku": sku, "quantity": quantity},
    }


def test_order_placed_reserves_stock(submission):
    assert submission.call("handle", _event("e-1", "OrderPlaced")) == "applied"
    assert submission.call("available", "pen") == 7


def test_redelivery_is_a_duplicate(submission):
    event = _event("e-1", "OrderPlaced")
    submission.call("handle", event)
    for _ in range(2):
        assert submission.call("handle", event) == "duplicate", (
            "the broker redelivered e-1: it must not take effect again"
        )
    assert submission.call("available", "pen") == 7, "stock was reserved twice for one event"


def test_cancellation_releases_stock(submission):
    submission.call("handle", _event("e-1", "OrderPlaced", quantity=4))
    assert submission.call("handle", _event("e-2", "OrderCancelled", quantity=4)) == "applied"
    assert submission.call("available", "pen") == 10
    assert submission.call("handle", _event("e-2", "OrderCancelled", quantity=4)) == "duplicate"
    assert submission.call("available", "pen") == 10


def test_insufficient_stock_is_rejected(submission):
    result = submission.call("handle", _event("e-1", "OrderPlaced", sku="ink", quantity=6))
    assert result == "rejected", f"6 ink with 5 available must be rejected, got {result!r}"
    assert submission.call("available", "ink") == 5, "a rejected order must not change the stock"
    assert submission.call("handle", _event("e-1", "OrderPlaced", sku="ink", quantity=6)) == (
        "duplicate"
    ), "a rejected event is handled too: its redelivery is a duplicate"
    assert (
        submission.call("handle", _event("e-2", "OrderPlaced", sku="ink", quantity=5)) == "applied"
    )
    assert submission.call("available", "ink") == 0


def test_unknown_sku_is_rejected(submission):
    assert submission.call("handle", _event("e-1", "OrderPlaced", sku="lamp")) == "rejected"
    assert submission.call("handle", _event("e-2", "OrderCancelled", sku="lamp")) == "rejected"


def test_unknown_event_types_are_ignored(submission):
    event = {"id": "e-9", "type": "OrderShipped", "version": 1, "data": {"order_id": 7}}
    assert submission.call("handle", event) == "ignored", (
        "an event type this consumer does not know must be ignored, not crash the consumer"
    )
    assert submission.call("available", "pen") == 10
