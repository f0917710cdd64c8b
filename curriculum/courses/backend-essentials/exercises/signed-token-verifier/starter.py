"""Verify HS256-signed tokens (the JWT format) with the standard library.

A token is `header.payload.signature`, each part base64url-encoded without padding. The
signature is HMAC-SHA256, keyed with `secret`, over the ASCII text `header.payload` (the
first two parts exactly as they appear in the token). `sign` below creates tokens.

TODO: implement `verify(token, secret, now)`. Return the payload's claims (a dict) when
the token is valid; otherwise raise `ValueError`. A token is valid only if:

1. it has exactly three dot-separated parts that decode (header and payload are JSON);
2. its header's "alg" is "HS256" (the server decides the algorithm, not the token);
3. its signature matches, compared in constant time (`hmac.compare_digest`);
4. its claims hold an integer "exp" (a Unix time) and `now < exp`.
"""

import base64
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
    _header, payload, _signature = token.split(".")
    return json.loads(b64url_decode(payload))
