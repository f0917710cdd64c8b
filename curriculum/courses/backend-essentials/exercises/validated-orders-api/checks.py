GOOD = {
    "customer_email": "Ada@Example.com",
    "lines": [
        {"sku": "KBD-001", "quantity": 2, "unit_price_cents": 4990},
        {"sku": "MOU-002", "quantity": 1, "unit_price_cents": 1990},
    ],
}


def _line(**changes):
    return {**GOOD["lines"][0], **changes}


def _rejected(submission, body, why):
    r = submission.http("POST", "/orders", json=body)
    assert r.status_code == 422, f"{why} must be rejected with 422, got {r.status_code}: {r.text[:200]}"


def test_valid_order_is_created(submission):
    r = submission.http("POST", "/orders", json=GOOD)
    assert r.status_code == 201, f"a valid order must answer 201, got {r.status_code}: {r.text[:300]}"
    body = r.json()
    assert body["id"] == 1, f"the first order has id 1, got {body.get('id')}"
    assert body["customer_email"] == "ada@example.com", "the email must be stored lower-cased"
    assert body["total_cents"] == 2 * 4990 + 1990, f"total_cents must be computed, got {body.get('total_cents')}"
    assert body["lines"] == GOOD["lines"], f"the lines are returned as sent: {body['lines']}"


def test_order_can_be_read_back(submission):
    submission.http("POST", "/orders", json=GOOD)
    r = submission.http("GET", "/orders/1")
    assert r.status_code == 200 and r.json()["total_cents"] == 11970, f"GET /orders/1: {r.status_code} {r.text[:200]}"
    r = submission.http("GET", "/orders/42")
    assert r.status_code == 404 and r.json() == {"detail": "order not found"}, f"unknown id: {r.status_code} {r.text}"


def test_line_fields_are_validated(submission):
    _rejected(submission, {**GOOD, "lines": [_line(sku="kbd-1")]}, "a SKU not like ABC-123")
    _rejected(submission, {**GOOD, "lines": [_line(quantity=0)]}, "a quantity of 0")
    _rejected(submission, {**GOOD, "lines": [_line(quantity=101)]}, "a quantity of 101")
    _rejected(submission, {**GOOD, "lines": [_line(unit_price_cents=0)]}, "a price of 0")


def test_order_fields_are_validated(submission):
    _rejected(submission, {**GOOD, "customer_email": "ada"}, "an email without @ and domain")
    _rejected(submission, {**GOOD, "lines": []}, "an order without lines")
    many = [_line(sku=f"SKU-{i:03d}") for i in range(21)]
    _rejected(submission, {**GOOD, "lines": many}, "an order with 21 lines")


def test_duplicate_skus_are_rejected(submission):
    body = {**GOOD, "lines": [_line(), _line(quantity=5)]}
    _rejected(submission, body, "an order listing the same SKU twice")


def test_unknown_fields_are_rejected(submission):
    _rejected(submission, {**GOOD, "total_cents": 1}, "a client-supplied total_cents")
    _rejected(submission, {**GOOD, "lines": [_line(discount=50)]}, "an unknown field in a line")
