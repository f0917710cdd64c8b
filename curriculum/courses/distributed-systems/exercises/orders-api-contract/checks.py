PROBLEM = "application/problem+json"


def _create(submission, **body):
    return submission.http("POST", "/v1/orders", json=body)


def test_create_returns_201_and_the_order(submission):
    r = _create(submission, sku="pen-blue", quantity=3)
    assert r.status_code == 201, f"a created order answers 201, got {r.status_code}"
    assert r.json() == {"id": 1, "sku": "pen-blue", "quantity": 3, "status": "pending"}


def test_internal_note_never_leaves_the_service(submission):
    created = _create(submission, sku="pen-blue", quantity=3).json()
    read = submission.http("GET", "/v1/orders/1").json()
    for body in (created, read):
        assert "internal_note" not in body, (
            "internal_note leaked: declare a response model with only the public fields"
        )


def test_invalid_input_is_rejected(submission):
    cases = [
        ({"sku": "pen-blue", "quantity": 0}, "quantity 0"),
        ({"sku": "pen-blue", "quantity": 101}, "quantity 101"),
        ({"sku": "p", "quantity": 1}, "a 1-character sku"),
        ({"sku": "x" * 33, "quantity": 1}, "a 33-character sku"),
        ({"sku": "pen-blue"}, "a missing quantity"),
        ({"sku": "pen-blue", "quantity": "many"}, "a non-numeric quantity"),
        ({"sku": "pen-blue", "quantity": 1, "price": 0}, "an unknown field 'price'"),
    ]
    for body, what in cases:
        r = submission.http("POST", "/v1/orders", json=body)
        assert r.status_code == 422, f"{what} must be rejected with 422, got {r.status_code}"


def test_v1_read(submission):
    _create(submission, sku="mug-red", quantity=2)
    r = submission.http("GET", "/v1/orders/1")
    assert r.status_code == 200
    assert r.json() == {"id": 1, "sku": "mug-red", "quantity": 2, "status": "pending"}


def test_v2_read_has_the_nested_shape(submission):
    _create(submission, sku="mug-red", quantity=2)
    r = submission.http("GET", "/v2/orders/1")
    assert r.status_code == 200, f"GET /v2/orders/1 must exist, got {r.status_code}"
    assert r.json() == {"id": 1, "status": "pending", "line": {"sku": "mug-red", "quantity": 2}}


def test_unknown_order_is_a_problem_document(submission):
    for path in ("/v1/orders/999", "/v2/orders/999"):
        r = submission.http("GET", path)
        assert r.status_code == 404, f"{path}: expected 404, got {r.status_code}"
        assert r.headers.get("content-type", "").startswith(PROBLEM), (
            f"{path}: the 404 must have content-type {PROBLEM}, got {r.headers.get('content-type')}"
        )
        body = r.json()
        assert body.get("title") == "Order not found" and body.get("status") == 404, (
            f"{path}: expected a Problem Details body with title and status, got {body}"
        )
        assert body.get("type") == "about:blank" and isinstance(body.get("detail"), str), body
