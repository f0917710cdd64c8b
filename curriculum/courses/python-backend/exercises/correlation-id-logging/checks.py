import re


def _order_records(submission):
    return [r for r in submission.logs if r.get("logger") == "orders"]


def test_echoes_incoming_id(submission):
    r = submission.http("POST", "/orders", headers={"X-Request-ID": "req-42"})
    assert r.status_code == 201, "POST /orders must still create the order (201)"
    assert r.headers.get("X-Request-ID") == "req-42", (
        "the response must carry the client's X-Request-ID unchanged"
    )


def test_generates_id_when_missing(submission):
    first = submission.http("POST", "/orders")
    second = submission.http("POST", "/orders")
    a, b = first.headers.get("X-Request-ID"), second.headers.get("X-Request-ID")
    assert a, "a request without X-Request-ID must get a generated id on the response"
    assert re.fullmatch(r"[A-Za-z0-9-]{8,64}", a), f"the generated id {a!r} is not a safe id"
    assert a != b, "each request needs its own generated id"


def test_log_records_carry_the_id(submission):
    submission.http("POST", "/orders", headers={"X-Request-ID": "trace-me-7"})
    records = _order_records(submission)
    assert records, "the endpoint's 'order created' record was not logged"
    ids = [r.get("request_id") for r in records]
    assert all(i == "trace-me-7" for i in ids), (
        f"every 'orders' log record must have request_id='trace-me-7', got {ids}"
    )


def test_generated_id_is_logged_too(submission):
    r = submission.http("POST", "/orders")
    assert r.headers.get("X-Request-ID"), "the response must carry a generated X-Request-ID"
    ids = {rec.get("request_id") for rec in _order_records(submission)}
    assert ids == {r.headers.get("X-Request-ID")}, (
        "the id logged during the request must be the same id returned in the header"
    )


def test_rejects_unsafe_incoming_id(submission):
    evil = "x" * 65
    r = submission.http("POST", "/orders", headers={"X-Request-ID": evil})
    got = r.headers.get("X-Request-ID")
    assert got and got != evil, "an id longer than 64 characters must be replaced"
    r = submission.http("POST", "/orders", headers={"X-Request-ID": "a b;<script>"})
    got = r.headers.get("X-Request-ID", "")
    assert re.fullmatch(r"[A-Za-z0-9-]{1,64}", got), (
        "an id with spaces or symbols must be replaced by a generated safe id"
    )


def test_id_does_not_leak_between_requests(submission):
    submission.http("POST", "/orders", headers={"X-Request-ID": "first"})
    r = submission.http("POST", "/orders")
    ids = {rec.get("request_id") for rec in _order_records(submission)}
    assert "first" not in ids, "the previous request's id leaked into the next request's logs"
    assert r.headers.get("X-Request-ID"), "the response must carry a generated X-Request-ID"
    assert ids == {r.headers.get("X-Request-ID")}, "the logged id must match the response header"
