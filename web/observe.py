"""Structured JSON logs with a request id, Prometheus metrics, and the CSRF cookie.

One pure ASGI middleware does the per-request work: it takes ``X-Request-ID`` from the
request (or makes one), returns it on the response with the security headers
(:data:`SECURITY_HEADERS`), logs one JSON line per request, counts it in Prometheus, and
gives every browser a CSRF cookie.

Metrics are not public: with ``TUTOR_METRICS_TOKEN`` set, ``/metrics`` wants it as a
bearer token; unset, it answers loopback clients only (see :func:`metrics_refusal`).
With ``PROMETHEUS_MULTIPROC_DIR`` set (``tutor serve --workers N`` sets it),
``/metrics`` aggregates every worker; otherwise it shows this process.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.security import CSRF_COOKIE, csrf_signed, new_csrf_token

REQUESTS = Counter("tutor_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "tutor_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
CHECKS = Counter("tutor_exercise_checks_total", "Exercise checks run", ["result"])
RUNS = Counter("tutor_exercise_runs_total", "Learners' Runs (not graded)", ["result"])

# on every response (pages, JSON, /static, errors): no MIME sniffing, no framing by any
# site (Tutor frames nothing of its own), no path or query sent to other sites
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("web.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any extra fields."""

    _skip = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}

    _second = -1
    _stamp = ""

    def _time(self, record: logging.LogRecord) -> str:
        """The record's local time to the second, formatted once per second."""
        second = int(record.created)
        if second != self._second:
            self._stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
            self._second = second
        return self._stamp

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": self._time(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in record.__dict__.items() if k not in self._skip})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("web", "uvicorn", "uvicorn.error", "tutor", "exercises"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


def metrics_payload() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def metrics_refusal(
    *, token: str | None, authorization: str | None, client_host: str | None
) -> int | None:
    """None if this caller may read ``/metrics``; else the status to answer (401 or 403).

    With a token, only ``Authorization: Bearer <token>`` is let in; without one, only a
    client on the loopback interface.
    """
    if token:
        given = (authorization or "").encode()
        return None if hmac.compare_digest(given, f"Bearer {token}".encode()) else 401
    try:
        local = client_host is not None and ipaddress.ip_address(client_host).is_loopback
    except ValueError:  # not an address (a Unix socket peer, a test client's name)
        local = False
    return None if local else 403


_children: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def count_request(method: str, route: str, status: str, elapsed: float) -> None:
    """Count a request and its latency; the labelled children are looked up once."""
    key = (method, route, status)
    pair = _children.get(key)
    if pair is None:  # bounded: routes are templates ("unmatched" otherwise)
        pair = _children[key] = (REQUESTS.labels(*key), LATENCY.labels(method, route))
    pair[0].inc()
    pair[1].observe(elapsed)


def _route_name(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _csrf_from_cookie(scope: Scope, secret: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    value = cookie_parser(raw).get(CSRF_COOKIE)  # Starlette's parser, as requests use
    if value is None or len(value) > 200 or not csrf_signed(secret, value):
        return None
    return value


class RequestMiddleware:
    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        given = _header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else uuid.uuid4().hex
        csrf = _csrf_from_cookie(scope, self.secret)
        new_csrf = csrf is None
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["arrived"] = time.monotonic()  # deadlines count from here (web.deps.deadline)
        state["csrf_token"] = csrf or new_csrf_token(self.secret)
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(SECURITY_HEADERS)
                if new_csrf:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    value = f"{CSRF_COOKIE}={state['csrf_token']}; Path=/; HttpOnly; SameSite=Lax"
                    headers.append((b"set-cookie", (value + secure).encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = _route_name(scope)
            count_request(scope["method"], route, str(status), elapsed)
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
