"""A local fake of the OpenAI Chat Completions HTTP API, framed like the real service.

Start it on 127.0.0.1 (a real HTTP server in a thread), point the real ``openai`` client
at ``server.base_url``, and pick the behaviour with the model name:

=====================  ===================================================================
model                  behaviour
=====================  ===================================================================
``fake``               a six-part lesson streamed in small chunks, then the usage chunk
``fake-slow``          the same after ``slow_s`` seconds before the first token
``fake-disconnect``    a few chunks, then the connection is dropped mid-stream
``fake-error-frame``   a few chunks, then an ``{"error": ...}`` frame
``fake-malformed``     a few chunks, then a chunk that is not JSON
``fake-misshapen``     a few chunks, then JSON that is not shaped like a chunk
``fake-429``           429 with ``Retry-After: 1`` on the first request, then ``fake``
``fake-429-always``    429 with ``Retry-After: 1`` every time
``fake-500``           500 on the first request, then ``fake``
``fake-500-always``    500 every time
``fake-stall``         some chunks, then silence for ``stall_s`` seconds (notes a disconnect)
``fake-stall-first``   headers, then silence for ``stall_s`` seconds
``fake-thinking``      only ``reasoning_content`` deltas, empty content
``fake-length``        the first half of the reply, then ``finish_reason: "length"``
``fake-think-tags``    ``<think>...</think>`` in the content, then the reply
``fake-think-only``    ``<think>...`` in the content, cut by ``finish_reason: "length"``
=====================  ===================================================================

Non-streaming requests get a ``chat.completion`` JSON reply. Every request is recorded
in ``server.requests`` (model, parsed body, arrival time, when the first content chunk
was sent: ``time.monotonic()``, comparable across processes on Linux); ``GET
/v1/_timings`` returns and clears them (for a server in another process).
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LESSON = """## Explanation

A route maps an HTTP method and path to a Python function.

## Code example

```python
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
```

## What the code does

It creates an app and one route that answers GET /health.

## Practical notes

Keep handlers small and typed.

## Summary

Routes are decorated functions.

## Try it yourself

Add a POST route that echoes a JSON payload.
"""


def _pieces(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@dataclass
class Recorded:
    model: str
    body: dict[str, Any]
    at: float
    first_content_at: float | None = None
    disconnected: bool = False


@dataclass
class FakeOpenAI:
    """The server; use as a context manager or call ``start()``/``stop()``."""

    reply: str = LESSON
    respond: Callable[[dict[str, Any]], str] | None = None
    """When set, each request's reply text is ``respond(request body)`` (a personality)."""
    slow_s: float = 0.3
    stall_s: float = 5.0
    first_token_delay_s: float = 0.0
    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _counts: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(_Handler):
            server_state = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reply_to(self, body: dict[str, Any]) -> str:
        return self.respond(body) if self.respond is not None else self.reply

    def count(self, model: str) -> int:
        with self._lock:
            self._counts[model] = self._counts.get(model, 0) + 1
            return self._counts[model]


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        """``GET /v1/_timings``: (received, first content sent) per request, then clear."""
        fake = self.server_state
        timings = [[r.at, r.first_content_at] for r in fake.requests]
        fake.requests.clear()
        self._json(200, {"timings": timings})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        model = str(body.get("model", ""))
        fake = self.server_state
        record = Recorded(model=model, body=body, at=time.monotonic())
        fake.requests.append(record)
        if not self.path.endswith("/chat/completions"):
            self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        try:
            self._dispatch(model, body, fake)
        except (BrokenPipeError, ConnectionResetError):
            record.disconnected = True  # the client closed while we were writing

    def _dispatch(self, model: str, body: dict[str, Any], fake: FakeOpenAI) -> None:
        attempt = fake.count(model)
        if model == "fake-429-always" or (model == "fake-429" and attempt == 1):
            error = {"message": "Rate limit reached", "type": "requests", "code": "rate_limit"}
            self._json(429, {"error": error}, {"retry-after": "1"})
            return
        if model == "fake-500-always" or (model == "fake-500" and attempt == 1):
            error = {"message": "The server had an error", "type": "server_error"}
            self._json(500, {"error": error})
            return
        if not body.get("stream"):
            self._json(200, _completion(model, fake.reply_to(body)))
            return
        self._stream(model, fake, fake.reply_to(body))

    def _json(
        self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _chunk(self, raw: bytes) -> None:
        self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
        self.wfile.flush()

    def _event(self, data: dict[str, Any] | str) -> None:
        text = data if isinstance(data, str) else json.dumps(data)
        self._chunk(f"data: {text}\n\n".encode())

    def _stream(self, model: str, fake: FakeOpenAI, reply: str) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        self.wfile.flush()
        if model == "fake-stall-first":
            self._stall(fake)
            return
        if model == "fake-slow":
            time.sleep(fake.slow_s)
        if fake.first_token_delay_s:
            time.sleep(fake.first_token_delay_s)
        self._event(_chunk(model, {"role": "assistant", "content": ""}))
        pieces = _pieces(reply)
        if model == "fake-length":
            pieces = pieces[: len(pieces) // 2]
        thinking = "<think>\nThe learner wants routes. Start simple.\n</think>\n\n"
        if model == "fake-think-tags":
            pieces = _pieces(thinking + reply, 5)
        if model == "fake-think-only":
            pieces = _pieces(thinking[:-12], 5)
        if model == "fake-thinking":
            for piece in _pieces("Let me think about how to explain routes. " * 3):
                self._event(_chunk(model, {"content": None, "reasoning_content": piece}))
            pieces = []
        for n, piece in enumerate(pieces):
            if n == 3 and self._break(model, fake):
                return
            if n == 0:
                fake.requests[-1].first_content_at = time.monotonic()
            self._event(_chunk(model, {"content": piece}))
        self._event(
            _chunk(
                model,
                {},
                finish="length" if model in ("fake-length", "fake-think-only") else "stop",
            )
        )
        usage = {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200}
        self._event({**_chunk(model, {}), "choices": [], "usage": usage})
        self._event("[DONE]")
        self._chunk(b"")

    def _stall(self, fake: FakeOpenAI) -> None:
        """Send nothing for ``stall_s``; note it if the client closes the connection."""
        deadline = time.monotonic() + fake.stall_s
        record = fake.requests[-1]
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.connection], [], [], 0.02)
            if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                record.disconnected = True
                return

    def _break(self, model: str, fake: FakeOpenAI) -> bool:
        """Misbehave mid-stream; True when the stream must end here."""
        if model == "fake-disconnect":
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return True
        if model == "fake-error-frame":
            error = {"message": "The server had an error while processing your request."}
            self._event({"error": {**error, "type": "server_error", "param": None, "code": None}})
            self._event("[DONE]")
            self._chunk(b"")
            return True
        if model == "fake-malformed":
            self._chunk(b'data: {"id": "chatcmpl-fake", "choices": [{"delta": {"content": "oo\n\n')
            self._event("[DONE]")
            self._chunk(b"")
            return True
        if model == "fake-misshapen":
            self._event({"id": "chatcmpl-fake", "choices": [{"delta": {"content": ["oo"]}}]})
            self._event("[DONE]")
            self._chunk(b"")
            return True
        if model == "fake-stall":
            self._stall(fake)
            return True
        return False


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        "usage": None,
    }


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 80, "total_tokens": 200},
    }


def main() -> None:
    """``python -m tests.tutor.fake_openai [FIRST_TOKEN_DELAY_S]``: serve until killed.

    Prints the base URL on the first line of stdout (for a separate process, e.g. a
    benchmark or an end-to-end test that must not share the GIL with the server).
    """
    import sys

    delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    reply = sys.argv[2] if len(sys.argv) > 2 else LESSON
    fake = FakeOpenAI(reply=reply, first_token_delay_s=delay).start()
    print(fake.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
