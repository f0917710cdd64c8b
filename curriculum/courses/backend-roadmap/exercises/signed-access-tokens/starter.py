"""Short-lived signed access tokens (HS256 JWTs) and a protected `GET /me`.

TODO:
1. `issue_token(username, now)` returns `header.payload.signature`: the header
   {"alg": "HS256", "typ": "JWT"}, the claims {"sub": username, "iat": now,
   "exp": now + TTL_S}, both as base64url JSON, signed with HMAC-SHA256 over
   "header.payload" using SECRET.
2. `verify_token(token, now)` returns the username, or raises `InvalidToken` for
   anything wrong: malformed, another algorithm, a bad signature (compare with
   `hmac.compare_digest`), or expired (`now >= exp`).
3. `GET /me` reads `Authorization: Bearer <token>` and returns {"username": ...};
   a missing or invalid token answers 401 with a `WWW-Authenticate: Bearer` header.
"""

import base64
import hashlib
import hmac
import json
import time

from fastapi import FastAPI

SECRET = b"a-long-random-secret-loaded-from-the-environment"
TTL_S = 900


class InvalidToken(ValueError):
    """The token cannot be trusted."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(username: str, now: int) -> str:
    raise NotImplementedError


def verify_token(token: str, now: int) -> str:
    raise NotImplementedError


app = FastAPI()


@app.get("/me")
def me() -> dict[str, str]:
    return {"username": "?"}
