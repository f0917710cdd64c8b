import ast
import hashlib
import hmac

from exercises.sandbox.submission import LearnerError

SECRET = "s3cret-shared-by-orders-and-billing"
NOW = 1_780_000_000
REQUEST = {"method": "POST", "path": "/v1/charges", "body": '{"order_id": 42, "amount": 1999}'}


def reference(secret, method, path, body, timestamp):
    message = f"{timestamp}\n{method.upper()}\n{path}\n{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _verify(submission, signature, *, secret=SECRET, timestamp=NOW, now=NOW, **changes):
    req = {**REQUEST, **changes}
    try:
        return submission.call("verify", secret, req["method"], req["path"], req["body"],
                               timestamp, signature, now)
    except LearnerError as err:
        raise AssertionError(
            f"verify raised {err.type} ({err.message}); a bad signature must give False"
        ) from None


def test_signature_matches_the_reference(submission):
    for method in ("POST", "get"):
        got = submission.call("sign", SECRET, method, REQUEST["path"], REQUEST["body"], NOW)
        want = reference(SECRET, method, REQUEST["path"], REQUEST["body"], NOW)
        assert got == want, (
            f"sign(..., method={method!r}) gave {got!r}; expected the hex HMAC-SHA256 of "
            "f'{timestamp}\\n{METHOD}\\n{path}\\n{body}' keyed with the secret"
        )


def test_accepts_a_valid_request(submission):
    signature = reference(SECRET, **REQUEST, timestamp=NOW)
    assert _verify(submission, signature) is True
    assert _verify(submission, signature, now=NOW + 300) is True, "300 s of skew is allowed"


def test_rejects_tampering_and_wrong_keys(submission):
    signature = reference(SECRET, **REQUEST, timestamp=NOW)
    cases = {
        "a changed body": {"body": '{"order_id": 42, "amount": 1}'},
        "a changed path": {"path": "/v1/refunds"},
        "a changed method": {"method": "PUT"},
        "another secret": {"secret": "guessed"},
    }
    for what, change in cases.items():
        assert _verify(submission, signature, **change) is False, f"{what} must be rejected"


def test_rejects_stale_and_future_requests(submission):
    old = reference(SECRET, **REQUEST, timestamp=NOW - 301)
    assert _verify(submission, old, timestamp=NOW - 301) is False, (
        "a request signed 301 s ago must be rejected, or a captured request can be replayed"
    )
    future = reference(SECRET, **REQUEST, timestamp=NOW + 301)
    assert _verify(submission, future, timestamp=NOW + 301) is False, (
        "a timestamp 301 s in the future must be rejected too"
    )


def test_malformed_signatures_give_false(submission):
    for bad in ("", "zz", "é" * 64, "0" * 64):
        assert _verify(submission, bad) is False, f"signature {bad!r} must give False"


def test_compares_in_constant_time(submission):
    tree = ast.parse(submission.source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "attr", getattr(n.func, "id", None)) == "compare_digest"]
    assert calls, (
        "compare signatures with hmac.compare_digest: `==` stops at the first different "
        "character, and the time it takes tells an attacker how much of a guess is right"
    )
