"""Verify HS256-signed tokens (the JWT format) with the standard library."""

import base64
import binascii
import hashlib
import hmac
import json


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(claims: dict[str, object], secret: str) -> str:
    header = b64url_encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url_encode(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url_encode(signature)}"


def verify(token: str, secret: str, now: int) -> dict[str, object]:
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("malformed token")
    header_b64, payload_b64, signature_b64 = parts
    try:
        header = json.loads(b64url_decode(header_b64))
        signature = b64url_decode(signature_b64)
    except (ValueError, binascii.Error) as err:
        raise ValueError("malformed token") from err
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise ValueError("unsupported algorithm")
    expected = hmac.new(secret.encode(), f"{header_b64}.{payload_b64}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("bad signature")
    try:
        claims = json.loads(b64url_decode(payload_b64))
    except (ValueError, binascii.Error) as err:
        raise ValueError("malformed payload") from err
    if not isinstance(claims, dict):
        raise ValueError("malformed payload")
    exp = claims.get("exp")
    if not isinstance(exp, int) or now >= exp:
        raise ValueError("token expired")
    return claims
