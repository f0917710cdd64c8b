import base64
import hashlib
import hmac
import json
import time

from exercises.sandbox.submission import LearnerError

SECRET = b"a-long-random-secret-loaded-from-the-environment"
NOW = 1_700_000_000


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _token(claims, header=None, key=SECRET):
    header = header or {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _rejected(submission, token, now=NOW):
    try:
        result = submission.call("verify_token", token, now)
    except LearnerError as exc:
        assert "InvalidToken" in exc.types, (
            f"a bad token must raise InvalidToken, not {exc.type}: {exc.message}"
        )
        return True
    raise AssertionError(f"the token was accepted as {result!r} but must be rejected")


def test_token_structure_and_claims(submission):
    token = submission.call("issue_token", "ada", NOW)
    parts = token.split(".")
    assert len(parts) == 3, f"a JWT has three dot-separated parts, got {len(parts)}"
    assert json.loads(_unb64(parts[0])) == {"alg": "HS256", "typ": "JWT"}, "unexpected header"
    claims = json.loads(_unb64(parts[1]))
    assert claims == {"sub": "ada", "iat": NOW, "exp": NOW + 900}, f"unexpected claims {claims}"
    expected = hmac.new(SECRET, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    assert _unb64(parts[2]) == expected, "the signature must be HMAC-SHA256 of 'header.payload'"


def test_round_trip(submission):
    token = submission.call("issue_token", "ada", NOW)
    assert submission.call("verify_token", token, NOW + 899) == "ada"


def test_expired_token_is_rejected(submission):
    token = submission.call("issue_token", "ada", NOW)
    _rejected(submission, token, now=NOW + 900)
    _rejected(submission, token, now=NOW + 86_400)


def test_tampered_payload_is_rejected(submission):
    token = submission.call("issue_token", "ada", NOW)
    header, _, signature = token.split(".")
    forged = _b64(json.dumps({"sub": "admin", "iat": NOW, "exp": NOW + 900}).encode())
    _rejected(submission, f"{header}.{forged}.{signature}")


def test_other_key_is_rejected(submission):
    _rejected(submission, _token({"sub": "ada", "iat": NOW, "exp": NOW + 900}, key=b"guessed"))


def test_alg_none_is_rejected(submission):
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    claims = _b64(json.dumps({"sub": "admin", "iat": NOW, "exp": NOW + 900}).encode())
    _rejected(submission, f"{header}.{claims}.")
    _rejected(
        submission,
        _token(
            {"sub": "admin", "iat": NOW, "exp": NOW + 900}, header={"alg": "none", "typ": "JWT"}
        ),
    )


def test_malformed_tokens_raise_invalid_token(submission):
    for token in ("", "abc", "a.b", "a.b.c.d", "!!!.???.###"):
        _rejected(submission, token)


def test_signature_compared_in_constant_time(submission):
    assert "compare_digest" in submission.source, (
        "compare signatures with hmac.compare_digest, which takes the same time wherever "
        "the bytes differ"
    )


def test_me_with_a_valid_token(submission):
    token = _token({"sub": "ada", "iat": int(time.time()), "exp": int(time.time()) + 600})
    r = submission.http("GET", "/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, f"a valid token must be accepted, got {r.status_code}: {r.text}"
    assert r.json() == {"username": "ada"}


def test_me_rejects_with_401_and_www_authenticate(submission):
    expired = _token({"sub": "ada", "iat": 1, "exp": 2})
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": "Basic YWRhOng="},
    ):
        r = submission.http("GET", "/me", headers=headers)
        assert r.status_code == 401, f"{headers or 'no header'}: expected 401, got {r.status_code}"
        assert r.headers.get("WWW-Authenticate", "").startswith("Bearer"), (
            "a 401 for a bearer-token API must carry the header 'WWW-Authenticate: Bearer'"
        )
