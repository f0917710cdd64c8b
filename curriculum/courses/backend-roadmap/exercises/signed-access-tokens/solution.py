"""Short-lived signed access tokens (HS256 JWTs) and a protected `GET /me`."""

import base64
import hashlib
import hmac
import json
import time
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException

SECRET = b"a-long-random-secret-loaded-from-the-environment"
TTL_S = 900


class InvalidToken(ValueError):
    """The token cannot be trusted."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input: str) -> bytes:
    return hmac.new(SECRET, signing_input.encode("ascii"), hashlib.sha256).digest()


def issue_token(username: str, now: int) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": username, "iat": now, "exp": now + TTL_S}).encode())
    signing_input = f"{header}.{claims}"
    return f"{signing_input}.{b64url(_sign(signing_input))}"


def verify_token(token: str, now: int) -> str:
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        signature = unb64url(signature_b64)
    except ValueError as exc:  # wrong number of parts, bad base64, bad JSON
        raise InvalidToken("malformed token") from exc
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise InvalidToken("unexpected algorithm")
    if not hmac.compare_digest(signature, _sign(f"{header_b64}.{claims_b64}")):
        raise InvalidToken("bad signature")
    try:
        claims = json.loads(unb64url(claims_b64))
        subject, expires = claims["sub"], claims["exp"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidToken("malformed claims") from exc
    if not isinstance(subject, str) or not isinstance(expires, int) or now >= expires:
        raise InvalidToken("token expired")
    return subject


app = FastAPI()


@app.get("/me")
def me(authorization: Annotated[str | None, Header()] = None) -> dict[str, str]:
    scheme, _, token = (authorization or "").partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise InvalidToken("missing bearer token")
        username = verify_token(token, int(time.time()))
    except InvalidToken as exc:
        raise HTTPException(
            status_code=401, detail=str(exc), headers={"WWW-Authenticate": "Bearer"}
        ) from exc
    return {"username": username}
