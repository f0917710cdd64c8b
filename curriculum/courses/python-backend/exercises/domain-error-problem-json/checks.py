import ast


def _withdraw(submission, account_id, amount):
    return submission.http("POST", f"/accounts/{account_id}/withdraw", json={"amount": amount})


def test_successful_withdrawal(submission):
    r = _withdraw(submission, "acc-1", 30)
    assert r.status_code == 200, f"a covered withdrawal must succeed, got {r.status_code}"
    assert r.json() == {"balance": 70}


def test_insufficient_funds_is_409(submission):
    r = _withdraw(submission, "acc-1", 500)
    assert r.status_code == 409, f"InsufficientFunds must map to 409, got {r.status_code}"


def test_problem_media_type(submission):
    r = _withdraw(submission, "acc-1", 500)
    ctype = r.headers.get("content-type", "")
    assert ctype.startswith("application/problem+json"), (
        f"error responses must use application/problem+json, got {ctype!r}"
    )


def test_insufficient_funds_body(submission):
    r = _withdraw(submission, "acc-1", 500)
    assert r.status_code == 409, f"InsufficientFunds must map to 409, got {r.status_code}"
    body = r.json()
    assert isinstance(body, dict), "the body must be a JSON object"
    assert body.get("type") == "https://example.com/problems/insufficient-funds", (
        f"unexpected type {body.get('type')!r}"
    )
    assert body.get("status") == 409, "the body's status must repeat the HTTP status"
    assert isinstance(body.get("title"), str) and body["title"], "a short title is required"
    assert body.get("detail") == "balance 100 is lower than the requested 500", (
        "detail must be the exception's message, str(exc)"
    )


def test_unknown_account_is_404(submission):
    r = _withdraw(submission, "acc-404", 10)
    assert r.status_code == 404, f"AccountNotFound must map to 404, got {r.status_code}"
    body = r.json()
    assert body.get("type") == "https://example.com/problems/account-not-found", (
        f"unexpected type {body.get('type')!r}"
    )
    assert body.get("status") == 404, "the body's status must repeat the HTTP status"
    assert body.get("detail") == "account acc-404 does not exist", (
        "detail must be the exception's message, str(exc)"
    )
    assert r.headers.get("content-type", "").startswith("application/problem+json"), (
        "the 404 must use application/problem+json too"
    )


def test_validation_errors_unchanged(submission):
    r = _withdraw(submission, "acc-1", -5)
    assert r.status_code == 422, "a negative amount is still a validation error (422)"


def test_route_has_no_try_except(submission):
    tree = ast.parse(submission.source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
            and node.name == "withdraw_route"
        ):
            assert not any(isinstance(n, ast.Try) for n in ast.walk(node)), (
                "map the errors in exception handlers (@app.exception_handler), "
                "not with try/except in the route"
            )
