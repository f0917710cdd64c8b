import re

ORDERS = [
    {"item": "mug", "amount": 12.5, "payment_method": "card"},
    {"item": "lamp", "amount": 80.0, "payment_method": "card"},
    {"item": "pen", "amount": 3.0, "payment_method": "paypal"},
]


def _value(text, name, labels=""):
    """The value of the sample `name{labels}` in Prometheus text, or None."""
    pattern = re.escape(name) + (r"\{" + labels + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else None


def _post_orders(submission):
    for order in ORDERS:
        r = submission.http("POST", "/orders", json=order)
        assert r.status_code == 201, f"creating {order} must return 201, got {r.status_code}"


def test_metrics_endpoint_is_prometheus_text(submission):
    r = submission.http("GET", "/metrics")
    assert r.status_code == 200, "GET /metrics must exist and return 200"
    assert r.headers.get("content-type", "").startswith("text/plain"), (
        "/metrics must use Prometheus' text media type (CONTENT_TYPE_LATEST), "
        f"not {r.headers.get('content-type')!r}"
    )


def test_counts_orders_by_payment_method(submission):
    _post_orders(submission)
    text = submission.http("GET", "/metrics").text
    card = _value(text, "orders_created_total", 'payment_method="card"')
    paypal = _value(text, "orders_created_total", 'payment_method="paypal"')
    assert card == 2, f'expected orders_created_total{{payment_method="card"}} 2.0, got {card}'
    assert paypal == 1, (
        f'expected orders_created_total{{payment_method="paypal"}} 1.0, got {paypal}'
    )


def test_histogram_observes_amounts(submission):
    _post_orders(submission)
    text = submission.http("GET", "/metrics").text
    count = _value(text, "order_amount_euros_count")
    total = _value(text, "order_amount_euros_sum")
    assert count == 3, f"order_amount_euros_count should be 3 after three orders, got {count}"
    assert total is not None and abs(total - 95.5) < 1e-6, (
        f"order_amount_euros_sum should be 95.5, got {total}"
    )


def test_histogram_buckets(submission):
    _post_orders(submission)
    text = submission.http("GET", "/metrics").text
    expected = {"10.0": 1, "50.0": 2, "100.0": 3, "500.0": 3, "+Inf": 3}
    for le, want in expected.items():
        got = _value(text, "order_amount_euros_bucket", f'le="{re.escape(le)}"')
        assert got == want, f'bucket le="{le}" should count {want} orders, got {got}'


def test_rejected_orders_are_not_counted(submission):
    r = submission.http(
        "POST", "/orders", json={"item": "x", "amount": -5, "payment_method": "card"}
    )
    assert r.status_code == 422, "a negative amount must be rejected with 422"
    r = submission.http(
        "POST", "/orders", json={"item": "x", "amount": 5, "payment_method": "card"}
    )
    assert r.status_code == 201
    text = submission.http("GET", "/metrics").text
    card = _value(text, "orders_created_total", 'payment_method="card"')
    assert card == 1, f"only the valid order may be counted, got {card}"
