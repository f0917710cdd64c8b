"""Request limits, attacked on a real ``tutor serve``: raw sockets for half-sent requests."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import COURSES
from tests.web.server import Browser, Server
from web.limits import ROUTE_KINDS, BodyKind, body_kind

pytestmark = pytest.mark.slow

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("limits") / "data"
    env = {
        "TUTOR_DATA_DIR": str(data),
        "TUTOR_COURSES_DIR": str(COURSES),
        "DATABASE_URL": "",
        "TUTOR_HEADER_TIMEOUT_S": "2",
        "TUTOR_BODY_TIMEOUT_S": "2",
    }
    started = Server(env).start()
    yield started
    started.stop()


def _connect(server: Server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=15)


def _response_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within ``seconds`` (reading what it sends)."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                return True
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True
    return False


def _healthy(server: Server) -> bool:
    return httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200


EXAMPLES = {
    "/courses/mini/exercises/sum-code/check": BodyKind.SUBMISSION,
    "/api/courses/mini/exercises/sum-code/check": BodyKind.SUBMISSION,
    "/courses/mini/exercises/sum-code/run": BodyKind.SUBMISSION,
    "/courses/mini/exercises/sum-code/draft": BodyKind.SUBMISSION,
    "/api/courses/mini/exercises/sum-code/run": BodyKind.SUBMISSION,
    "/api/courses/mini/exercises/sum-code/draft": BodyKind.SUBMISSION,
    "/courses/mini/sections/basics/notebook": BodyKind.UPLOAD,
    "/instructor/courses/mini/edit": BodyKind.UPLOAD,
}
METHODS = {"/api/courses/mini/exercises/sum-code/draft": "PUT"}  # else POST


def test_every_limited_pattern_is_a_real_post_route(client: TestClient) -> None:
    for path, kind in EXAMPLES.items():
        assert body_kind(path) is kind
        method = METHODS.get(path, "POST")
        r = client.request(method, path, data={"a": "b"})
        assert r.status_code == 403  # CSRF: the route exists
    assert client.post("/courses/mini/exercises/x/nothing", data={"a": "b"}).status_code == 404
    assert {kind for _, kind in ROUTE_KINDS} == set(EXAMPLES.values())
    assert body_kind("/login") is BodyKind.SMALL


def test_anonymous_64mb_post_is_refused_unread(server: Server) -> None:
    with _connect(server) as sock:
        start = time.monotonic()
        sock.sendall(
            b"POST /signup HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\nemail=a" % (64 * MB)
        )
        head = _response_head(sock)
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"connection: close" in head.lower()
        assert _closed_within(sock, 5)  # never waits for the other 64 MB
        assert time.monotonic() - start < 10
    assert _healthy(server)


def test_chunked_oversize_body_is_aborted(server: Server) -> None:
    chunk = b"x" * 65536
    sent = 0
    with _connect(server) as sock:
        sock.sendall(
            b"POST /api/courses/mini/progress HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sock.settimeout(0.05)
        head = b""
        while sent < 64 * MB and not head:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            try:
                head = sock.recv(65536)
            except TimeoutError:
                continue
        sock.settimeout(15)
        head += _response_head(sock) if b"\r\n\r\n" not in head else b""
        assert head.startswith(b"HTTP/1.1 413"), head
        assert sent < 64 * MB
        rest = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):  # the message, then the server closes
                rest += chunk
        assert b"at most 256 KB" in head + rest
    assert _healthy(server)


def test_slowloris_headers_are_cut_off(server: Server) -> None:
    socks = [_connect(server) for _ in range(20)]
    try:
        for sock in socks:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
        start = time.monotonic()
        assert _healthy(server)  # other clients are served meanwhile
        closed: list[socket.socket] = []
        while time.monotonic() - start < 10 and len(closed) < len(socks):
            for sock in socks:
                if sock in closed:
                    continue
                try:
                    sock.sendall(b"X-Slow: 1\r\n")  # one more header line, never the end
                except (BrokenPipeError, ConnectionResetError):
                    closed.append(sock)
                    continue
                if _closed_within(sock, 0.01):
                    closed.append(sock)
            time.sleep(0.3)
        assert len(closed) == len(socks)  # every one closed near the 2 s header deadline
        assert time.monotonic() - start < 8
    finally:
        for sock in socks:
            sock.close()
    assert _healthy(server)


def test_oversized_headers_are_refused(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000)
        time.sleep(0.3)  # h11 counts what it buffers of an unfinished request head
        with contextlib.suppress(OSError):
            sock.sendall(b"a" * 20000 + b"\r\n\r\n")
        assert _response_head(sock).startswith(b"HTTP/1.1 400")
        assert _closed_within(sock, 5)
    assert _healthy(server)


def test_oversized_headers_in_one_piece_are_refused(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
        assert _response_head(sock).startswith(b"HTTP/1.1 400")
        assert _closed_within(sock, 5)
    with _connect(server) as sock:  # many small headers add up too
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n" + b"X-A: b\r\n" * 3000 + b"\r\n")
        assert _response_head(sock).startswith(b"HTTP/1.1 400")
    assert _healthy(server)


def _read_responses(sock: socket.socket, count: int) -> list[bytes]:
    """``count`` whole responses (each with a Content-Length) from one connection."""
    data, heads = b"", list[bytes]()
    while len(heads) < count:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"closed after {len(heads)} responses"
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        lengths = [line for line in head.lower().split(b"\r\n") if b"content-length:" in line]
        length = int(lengths[0].split(b":")[1])
        while len(data) < length:
            data += sock.recv(65536)
        data = data[length:]
        heads.append(head)
    return heads


def test_keep_alive_and_pipelined_requests_outlive_the_header_deadline(server: Server) -> None:
    """The deadline is for a request's head, not the connection: it restarts per request."""
    request = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(request * 3)  # pipelined: three heads in one write
        assert all(h.startswith(b"HTTP/1.1 200") for h in _read_responses(sock, 3))
        for _ in range(3):  # 4.5 s on one connection, past the 2 s header deadline
            time.sleep(1.5)
            sock.sendall(request)
            assert _read_responses(sock, 1)[0].startswith(b"HTTP/1.1 200")


def test_a_get_with_a_huge_body_is_refused_too(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\nxx" % (64 * MB))
        assert _response_head(sock).startswith(b"HTTP/1.1 413")
        assert _closed_within(sock, 5)


def test_half_sent_body_gets_408_and_is_closed(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST /signup HTTP/1.1\r\nHost: t\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000\r\n\r\nemail=a"
        )
        head = _response_head(sock)
        assert head.startswith(b"HTTP/1.1 408"), head
        assert _closed_within(sock, 5)
    assert _healthy(server)


def test_silent_connections_do_not_stay_open(server: Server) -> None:
    with _connect(server) as sock:
        assert _closed_within(sock, 6)  # connected, sent nothing: closed at the deadline


def test_anonymous_multipart_gets_the_small_cap(server: Server) -> None:
    big = httpx.post(  # anonymous: the small cap (in memory), even on the upload route
        f"{server.url}/courses/mini/sections/basics/notebook",
        content=b"--XyZ\r\n" + b"a" * MB,
        headers={"content-type": "multipart/form-data; boundary=XyZ"},
    )
    assert big.status_code == 413


def test_signed_in_upload_gets_the_upload_cap(server: Server) -> None:
    browser = Browser(server.url)
    browser.signup("uploader@example.org")
    files = {"notebook": ("n.ipynb", b"{" + b" " * MB + b"}", "application/json")}
    r = browser.http.post(
        "/courses/mini/sections/basics/notebook",
        files=files,
        data={"csrf_token": browser.token()},
    )
    assert r.status_code == 400, r.text  # read and parsed (not a notebook), not refused as 413
    r = browser.http.post(
        "/courses/mini/sections/basics/notebook",
        files={"notebook": ("n.ipynb", b"x" * (9 * MB), "application/json")},
        data={"csrf_token": browser.token()},
    )
    assert r.status_code == 413
    browser.close()


def test_connection_cap_answers_503_then_recovers(tmp_path: Path) -> None:
    env = {
        "TUTOR_DATA_DIR": str(tmp_path / "data"),
        "TUTOR_COURSES_DIR": str(COURSES),
        "DATABASE_URL": "",
        "TUTOR_HEADER_TIMEOUT_S": "2",
        "TUTOR_MAX_CONNECTIONS": "5",
    }
    server = Server(env).start()
    try:
        idle = [_connect(server) for _ in range(6)]
        time.sleep(0.3)
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 503
        assert all(_closed_within(sock, 6) for sock in idle)
        for sock in idle:
            sock.close()
        assert _healthy(server)
    finally:
        server.stop()


def test_in_process_caps_and_deadline(client: TestClient) -> None:
    """The middleware without a server: Content-Length and counted bodies, JSON under /api."""
    r = client.post(
        "/api/courses/mini/progress",
        content=b"{" + b" " * (300 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["detail"].startswith("The request is too large")
    assert r.headers["connection"] == "close"

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b" " * (64 * 1024)

    r = client.post(
        "/api/courses/mini/progress", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    r = client.post(
        "/api/courses/mini/progress",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": "12x"},
    )
    assert r.status_code == 400


def test_accepted_connections_send_small_writes_at_once() -> None:
    """uvicorn's --workers binds its socket with protocol 0, and asyncio then leaves
    Nagle on for accepted connections (40 ms per response): the protocol turns it off."""
    import asyncio

    from web.protocol import _no_delay

    async def accepted_nodelay() -> tuple[int, int]:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as uvicorn binds it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        seen: list[int] = []

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                assert isinstance(transport, asyncio.Transport)
                _no_delay(transport)
                seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        while len(seen) < 2:
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        return seen[0], seen[1]

    before, after = asyncio.run(accepted_nodelay())
    assert before == 0  # what asyncio leaves on such a socket
    assert after != 0
