"""uvicorn's h11 protocol with a deadline for each request's line and headers.

uvicorn has no header read timeout: its keep-alive timer is only armed after a response
and is cancelled by every byte received, and an ASGI middleware only runs once the
headers are complete.  A client sending one header byte a second (slowloris), or the
rest of a refused body a byte at a time, would keep its connection open forever and
count against the connection cap.  Here every connection must deliver each request's
line and headers within ``header_timeout_s`` of connecting or of the previous response;
else it is closed.  ``tutor serve`` runs uvicorn with this protocol.
"""

from __future__ import annotations

import asyncio
import contextlib

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from web.settings import process_settings

PROTOCOL = "web.protocol:DeadlineH11Protocol"
"""The import string given to uvicorn (workers import it by name)."""


class DeadlineH11Protocol(H11Protocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, object],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._header_timeout = process_settings().header_timeout_s
        self._header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        cycle = self.cycle
        super().handle_events()
        if self.cycle is not cycle:  # a new request's headers arrived
            self._disarm()

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        self._disarm()  # the connection now belongs to the websocket protocol
        super().handle_websocket_upgrade(event)

    def on_response_complete(self) -> None:
        self._arm()  # before: the next pipelined request may start inside the call
        super().on_response_complete()

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
        if self.conn.our_state not in (h11.ERROR, h11.MUST_CLOSE, h11.CLOSED):
            with contextlib.suppress(h11.LocalProtocolError):
                self.conn.send(h11.ConnectionClosed())
        self.transport.close()
