import re


def test_not_found_is_404(submission):
    r = submission.http("POST", "/reservations/lamp")
    assert r.status_code == 404, f"NotFound must become 404, got {r.status_code}"
    assert r.json() == {
        "error": "not_found",
        "message": "unknown product 'lamp'",
        "details": {"sku": "lamp"},
    }, r.text


def test_out_of_stock_is_409_with_details(submission):
    r = submission.http("POST", "/reservations/pen", params={"quantity": 5})
    assert r.status_code == 409, (
        f"OutOfStock must become 409: one handler for ShopError covers every subclass, got {r.status_code}"
    )
    assert r.json() == {
        "error": "out_of_stock",
        "message": "not enough stock",
        "details": {"sku": "pen", "available": 3},
    }, r.text


def test_success_is_unchanged(submission):
    r = submission.http("POST", "/reservations/pen", params={"quantity": 2})
    assert r.status_code == 200 and r.json() == {"remaining": 1}


def test_domain_errors_are_logged_as_warnings(submission):
    submission.http("POST", "/reservations/lamp")
    records = [r for r in submission.logs if r["logger"] == "shop"]
    assert any(r["level"] == "WARNING" and "unknown product" in r["message"] for r in records), (
        f"log a WARNING on the 'shop' logger for domain errors, got {records}"
    )


def test_unexpected_errors_are_500_without_internals(submission):
    r = submission.http("GET", "/report")
    assert r.status_code == 500, f"an unexpected exception must become 500, got {r.status_code}"
    assert r.json() == {"error": "internal", "message": "something went wrong"}, (
        f"the 500 body must not reveal internals, got {r.text}"
    )
    assert "ZeroDivision" not in r.text and "division" not in r.text


def test_unexpected_errors_are_logged_with_traceback(submission):
    submission.http("GET", "/report")
    errors = [r for r in submission.logs if r["logger"] == "shop" and r["level"] == "ERROR"]
    assert errors, "log unexpected exceptions at ERROR level on the 'shop' logger"
    assert re.search(r"\.exception\(|exc_info\s*=", submission.source), (
        "use log.exception(...) in the handler so the traceback is logged: the message alone "
        "is not enough to debug a 500"
    )
