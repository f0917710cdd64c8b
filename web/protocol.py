"""uvicorn's httptools protocol with a deadline and a size cap for each request's head.

uvicorn has no header read timeout: its keep-alive timer is only armed after a response
and is cancelled by every byte received, and an ASGI middleware only runs once the
headers are complete.  A client sending one header byte a second (slowloris), or the
rest of a refused body a byte at a time, would keep its connection open forever and
count against the connection cap.  Here every connection must deliver each request's
line and headers within ``header_timeout_s`` of connecting or of the previous response;
else it is closed.  uvicorn's httptools protocol has no header size cap either (its h11
protocol has one, but parses in pure Python at several times the CPU per request): here
a request line plus headers longer than ``max_header_bytes`` is answered 400 and the
connection closed, whether it arrives whole or a piece at a time.  ``tutor serve`` runs
uvicorn with this protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from web.settings import process_settings

PROTOCOL = "web.protocol:DeadlineHttpToolsProtocol"
"""The import string given to uvicorn (workers import it by name)."""

HEAD_TOO_LARGE = "Request line and headers too large."


def _no_delay(transport: asyncio.Transport) -> None:
    """Send small writes at once (TCP_NODELAY), as asyncio does for the sockets it opens.

    With ``--workers N`` uvicorn binds the listening socket itself (protocol number 0),
    and asyncio then leaves Nagle's algorithm on for the accepted connections: a
    response's head and body, written separately, waited for the client's delayed ACK,
    about 40 ms on every request (measured: ``/healthz`` p50 48 ms with two workers,
    2 ms with one).
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HeadTooLarge(Exception):
    """Raised from a parser callback: httptools turns it into a parser error (400)."""


class DeadlineHttpToolsProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, object],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = process_settings()
        self._header_timeout = settings.header_timeout_s
        self._max_head = settings.max_header_bytes
        self._header_timer: asyncio.TimerHandle | None = None
        self._in_head = True  # waiting for a request's line and headers
        self._head_bytes = 0  # bytes received while waiting for them
        self._head_size = 0  # the current request's line and headers, as parsed

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        unfinished_too_long = self._in_head and self._head_bytes > self._max_head
        if unfinished_too_long and not self.transport.is_closing():
            self.logger.warning(HEAD_TOO_LARGE)
            self.send_400_response(HEAD_TOO_LARGE)

    # parser callbacks: count the head as parsed (it may arrive whole, with its body)
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._grow_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._grow_head(len(name) + len(value) + 4)  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        self._disarm()  # the request is complete: the app's time is not limited here
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True  # the next request's head (pipelined or after the response)
        self._head_bytes = 0

    def _grow_head(self, size: int) -> None:
        self._head_size += size
        if self._head_size > self._max_head:
            raise HeadTooLarge(HEAD_TOO_LARGE)

    def handle_websocket_upgrade(self) -> None:
        self._disarm()  # the connection now belongs to the websocket protocol
        super().handle_websocket_upgrade()

    def on_response_complete(self) -> None:
        pipelined = bool(self.pipeline)
        self._arm()  # the next request's head is due from now on
        super().on_response_complete()
        if pipelined:  # a request whose head had arrived whole was started just now
            self._disarm()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self._header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _expire(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        self.logger.info("Closing a connection whose request headers did not arrive in time.")
        self.transport.close()
