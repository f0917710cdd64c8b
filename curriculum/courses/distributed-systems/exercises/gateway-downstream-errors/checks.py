def _summary(submission, order_id, **headers):
    return submission.http("GET", f"/orders/{order_id}/summary", headers=headers or None)


def test_happy_path(submission):
    r = _summary(submission, 1)
    assert r.status_code == 200, f"expected 200, got {r.status_code}: {r.text[:200]}"
    assert r.json() == {"order_id": 1, "sku": "pen", "quantity": 2, "in_stock": 120,
                        "degraded": False}


def test_propagates_request_id(submission):
    r = _summary(submission, 1, **{"X-Request-ID": "req-abc-123"})
    assert r.headers.get("x-request-id") == "req-abc-123", (
        "send the caller's X-Request-ID back in the response"
    )
    calls = submission.call("seen")
    assert [c["path"] for c in calls] == ["/orders/1", "/stock/pen"], calls
    assert all(c["request_id"] == "req-abc-123" for c in calls), (
        f"both downstream calls must carry the caller's X-Request-ID, they got {calls}"
    )


def test_generates_a_request_id_when_missing(submission):
    r = _summary(submission, 1)
    rid = r.headers.get("x-request-id", "")
    assert len(rid) >= 8, "without an incoming X-Request-ID, generate one (uuid4)"
    calls = submission.call("seen")
    assert all(c["request_id"] == rid for c in calls), (
        f"downstream calls must carry the generated id {rid!r}: {calls}"
    )


def test_unknown_order_is_404(submission):
    r = _summary(submission, 99)
    assert r.status_code == 404, (
        f"an order the orders service does not know is 404, got {r.status_code}"
    )


def test_maps_orders_failures_to_502_and_504(submission):
    for mode, expected in (("timeout", 504), ("500", 502), ("down", 502)):
        submission.call("break_service", "orders", mode)
        r = _summary(submission, 1)
        assert r.status_code == expected, (
            f"when the orders service fails with {mode!r} the gateway must answer {expected}, "
            f"got {r.status_code}"
        )


def test_degrades_when_inventory_fails(submission):
    r = _summary(submission, 2)  # inventory answers 503 for mugs
    assert r.status_code == 200, (
        f"stock is optional: a failing inventory must not fail the summary (got {r.status_code})"
    )
    assert r.json() == {"order_id": 2, "sku": "mug", "quantity": 1, "in_stock": None,
                        "degraded": True}
    for mode in ("timeout", "down", "500"):
        submission.call("break_service", "inventory", mode)
        r = _summary(submission, 3)
        assert r.status_code == 200 and r.json()["degraded"] is True, (
            f"inventory failing with {mode!r}: expected 200 with degraded=true, "
            f"got {r.status_code} {r.text[:200]}"
        )
