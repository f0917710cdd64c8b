import base64
import hashlib
import hmac
import json

from exercises.sandbox.submission import LearnerError

SECRET = "s3cret-key-for-the-checks-0123456789"
NOW = 1_800_000_000
CLAIMS = {"sub": "42", "scope": "orders:read", "exp": NOW + 900}


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(claims, secret=SECRET, header=None, signature=None):
    head = _b64(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    if signature is None:
        mac = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        signature = _b64(mac)
    return f"{head}.{body}.{signature}"


def _rejected(submission, token, why, now=NOW):
    try:
        result = submission.call("verify", token, SECRET, now)
    except LearnerError as exc:
        assert "ValueError" in exc.types, (
            f"{why}: verify must raise ValueError, it raised {exc.type}: {exc.message}"
        )
        return
    raise AssertionError(f"{why}: verify must raise ValueError, it returned {result!r}")


def test_valid_token_returns_claims(submission):
    result = submission.call("verify", _token(CLAIMS), SECRET, NOW)
    assert result == CLAIMS, f"a valid token must return its claims, got {result!r}"


def test_tampered_payload_is_rejected(submission):
    head, _body, sig = _token(CLAIMS).split(".")
    forged = _b64(json.dumps({**CLAIMS, "sub": "1"}).encode())
    _rejected(submission, f"{head}.{forged}.{sig}", "a payload changed after signing")


def test_wrong_secret_is_rejected(submission):
    _rejected(submission, _token(CLAIMS, secret="guessed"), "a token signed with another secret")


def test_other_algorithms_are_rejected(submission):
    _rejected(
        submission,
        _token(CLAIMS, header={"alg": "none", "typ": "JWT"}, signature=""),
        'an unsigned token whose header says "alg": "none"',
    )
    _rejected(
        submission,
        _token(CLAIMS, header={"alg": "none", "typ": "JWT"}),
        'a token whose header says "alg": "none" (even with an HMAC signature)',
    )
    _rejected(
        submission,
        _token(CLAIMS, header={"alg": "HS512", "typ": "JWT"}),
        'a token whose header asks for "HS512"',
    )


def test_expired_token_is_rejected(submission):
    token = _token(CLAIMS)
    result = submission.call("verify", token, SECRET, CLAIMS["exp"] - 1)
    assert result == CLAIMS, "one second before exp the token is still valid"
    _rejected(submission, token, "a token at its exp time", now=CLAIMS["exp"])
    _rejected(submission, token, "a token an hour after exp", now=CLAIMS["exp"] + 3600)


def test_missing_or_bad_exp_is_rejected(submission):
    _rejected(submission, _token({"sub": "42"}), "a token without exp")
    _rejected(submission, _token({"sub": "42", "exp": "tomorrow"}), "a token whose exp is not a number")


def test_malformed_tokens_are_rejected(submission):
    for token in ["", "abc", "a.b", "a.b.c.d", "!!!.###.$$$", _token(CLAIMS) + ".extra"]:
        _rejected(submission, token, f"the malformed token {token[:30]!r}")


def test_signature_compared_in_constant_time(submission):
    assert "compare_digest" in submission.source, (
        "compare signatures with hmac.compare_digest: `==` stops at the first differing "
        "byte, and the timing difference can leak the expected signature"
    )
