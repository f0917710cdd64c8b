"""Request body limits, enforced before any work: a cap per route and a deadline.

A pure ASGI middleware, so nothing reads a body before it has looked at it:

- a ``Content-Length`` above the route's cap is answered 413 at once, unread;
- a chunked (or understated) body is counted as it arrives and refused with 413 the
  moment it passes the cap;
- a body must arrive whole within ``body_timeout_s`` (else 408).

Every refusal carries ``Connection: close``, so uvicorn drops the connection instead
of reading the rest of the body.  The large caps (uploads, submissions) apply only to
a request with a live login session; anonymous requests get the small default cap
everywhere.  The small cap is at most 1 MiB, Starlette's threshold for spooling a file
part to disk, and a multipart body (browsers send ``FormData`` as one) gets at most
that cap on every route but the uploads: so it is parsed in memory everywhere else
(a code submission's 200,000 characters fit in it), and an anonymous one never touches
the disk.

The routes are named here by path pattern; ``tests/web/test_limits.py`` checks that
each pattern matches a real route of the app.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from enum import Enum

import anyio
from fastapi import HTTPException
from sqlalchemy import Engine
from starlette.formparsers import MultiPartParser
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.quickread import quick_read
from web.security import SESSION_COOKIE, session_user
from web.settings import WebSettings


class BodyKind(Enum):
    """What a route's body may be: a small form/JSON, a code submission, an upload."""

    SMALL = "small"
    SUBMISSION = "submission"
    UPLOAD = "upload"


ROUTE_KINDS: tuple[tuple[re.Pattern[str], BodyKind], ...] = (
    (re.compile(r"^(?:/api)?/courses/[^/]+/exercises/[^/]+/check$"), BodyKind.SUBMISSION),
    (re.compile(r"^(?:/api)?/courses/[^/]+/exercises/[^/]+/(?:run|draft)$"), BodyKind.SUBMISSION),
    (re.compile(r"^/courses/[^/]+/sections/[^/]+/notebook$"), BodyKind.UPLOAD),
    (re.compile(r"^/instructor/courses/[^/]+/(?:edit|preview|new-exercise)$"), BodyKind.UPLOAD),
)


IN_MEMORY_MULTIPART = MultiPartParser.spool_max_size
"""The largest multipart body outside the upload routes: no part of it can be larger
than Starlette's threshold for spooling a file part to disk."""


def body_kind(path: str) -> BodyKind:
    for pattern, kind in ROUTE_KINDS:
        if pattern.match(path):
            return kind
    return BodyKind.SMALL


@dataclass(frozen=True, kw_only=True)
class BodyLimits:
    small: int
    submission: int
    upload: int
    timeout_s: float

    @classmethod
    def from_settings(cls, settings: WebSettings) -> BodyLimits:
        return cls(
            small=settings.max_body_bytes,
            submission=settings.max_submission_bytes,
            upload=settings.max_upload_bytes,
            timeout_s=settings.body_timeout_s,
        )

    def cap(self, kind: BodyKind) -> int:
        if kind is BodyKind.SUBMISSION:
            return max(self.submission, self.small)
        if kind is BodyKind.UPLOAD:
            return max(self.upload, self.small)
        return self.small


class _Refused(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers", []))


def _too_large(cap: int) -> _Refused:
    return _Refused(413, f"The request is too large (at most {math.ceil(cap / 1024)} KB here).")


class _Body:
    """``receive`` with the bytes counted against ``cap`` and a deadline for the whole body."""

    def __init__(self, receive: Receive, *, cap: int, timeout_s: float) -> None:
        self._receive = receive
        self._cap = cap
        self._timeout_s = timeout_s
        self._deadline: float | None = None
        self._received = 0
        self._done = False
        self.refused = False

    def _fail(self, status: int, detail: str) -> HTTPException:
        self.refused = True
        return HTTPException(status, detail)

    async def receive(self) -> Message:
        if self._done:  # the body is complete: waiting for a disconnect is not timed
            return await self._receive()
        now = anyio.current_time()
        if self._deadline is None:
            self._deadline = now + self._timeout_s
        with anyio.move_on_after(max(self._deadline - now, 0)) as scope:
            message = await self._receive()
        if scope.cancelled_caught:
            raise self._fail(408, "The request body did not arrive in time.")
        if message["type"] != "http.request":
            self._done = True
            return message
        self._received += len(message.get("body", b""))
        if self._received > self._cap:
            raise self._fail(413, _too_large(self._cap).detail)
        self._done = not message.get("more_body", False)
        return message


class RequestLimits:
    """The middleware: see the module docstring."""

    def __init__(self, app: ASGIApp, *, limits: BodyLimits, engine: Engine) -> None:
        self.app = app
        self.limits = limits
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body at all
            return
        try:
            cap = await self._cap(scope, headers, length)
        except _Refused as refused:
            await _refuse(scope, send, refused)
            return
        body = _Body(receive, cap=cap, timeout_s=self.limits.timeout_s)

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start" and body.refused:
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, body.receive, send_closing)

    async def _cap(self, scope: Scope, headers: dict[bytes, bytes], length: bytes | None) -> int:
        kind = body_kind(scope["path"])
        cap = self.limits.cap(kind)
        if kind is not BodyKind.UPLOAD and _is_multipart(headers):
            cap = min(cap, IN_MEMORY_MULTIPART)
        if cap > self.limits.small and not await self._signed_in(headers):
            cap = self.limits.small
        if length is not None:
            if not length.isdigit() or len(length) > 18:
                raise _Refused(400, "Invalid Content-Length.")
            if int(length) > cap:
                raise _too_large(cap)
        return cap

    async def _signed_in(self, headers: dict[bytes, bytes]) -> bool:
        """A live login session: one indexed read, only for requests to the large caps.

        On the quick-read thread, never on the event loop: with the connection pool
        exhausted (a login rush holds connections while it hashes), a read here would
        stop every request of the process until a connection came free.
        """
        cookie = headers.get(b"cookie")
        token = cookie_parser(cookie.decode("latin-1")).get(SESSION_COOKIE) if cookie else None
        if not token:
            return False

        return await quick_read(self.engine, lambda: session_user(self.engine, token) is not None)


def _is_multipart(headers: dict[bytes, bytes]) -> bool:
    return headers.get(b"content-type", b"").lower().startswith(b"multipart/")


async def _refuse(scope: Scope, send: Send, refused: _Refused) -> None:
    """Answer at once, unread body and all, and have the server close the connection."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": refused.detail}).encode()
        content_type = b"application/json"
    else:
        body = refused.detail.encode()
        content_type = b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
