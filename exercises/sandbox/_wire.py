"""Length-prefixed JSON messages over pipes, with size limits and deadlines.

``send``/``recv`` carry plain JSON data (the runner and its learner children);
``send_model``/``recv_model`` carry the typed messages of
:mod:`exercises.sandbox.protocol` (the grading API and its runners), validated on
arrival.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

HEADER = struct.Struct("!I")
MAX_MESSAGE = 16 * 1024 * 1024
M = TypeVar("M", bound=BaseModel)


class WireError(Exception):
    """The other side closed the pipe or sent something that is not a message."""


class WireTimeout(WireError):
    """No complete message before the deadline."""


def encode(obj: Any) -> bytes:
    data = json.dumps(obj, separators=(",", ":"), allow_nan=True).encode()
    return HEADER.pack(len(data)) + data


def decode(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a message: {exc}") from None


def _wait(fd: int, deadline: float | None, write: bool = False) -> None:
    if deadline is None:
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise WireTimeout("deadline passed")
    ready = (
        select.select([], [fd], [], remaining) if write else select.select([fd], [], [], remaining)
    )
    if not any(ready):
        raise WireTimeout("deadline passed")


def write_all(fd: int, data: bytes, deadline: float | None = None) -> None:
    view = memoryview(data)
    while view:
        _wait(fd, deadline, write=True)
        try:
            written = os.write(fd, view[: 65536 if deadline is not None else len(view)])
        except BlockingIOError:
            continue
        except BrokenPipeError:
            raise WireError("the other side closed the pipe") from None
        view = view[written:]


def read_exact(fd: int, size: int, deadline: float | None = None) -> bytes:
    chunks: list[bytes] = []
    while size:
        _wait(fd, deadline)
        try:
            chunk = os.read(fd, min(size, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise WireError("the other side closed the pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def send(fd: int, obj: Any, deadline: float | None = None) -> None:
    write_all(fd, encode(obj), deadline)


def recv(fd: int, deadline: float | None = None, limit: int = MAX_MESSAGE) -> Any:
    (size,) = HEADER.unpack(read_exact(fd, HEADER.size, deadline))
    if size > limit:
        raise WireError(f"message of {size} bytes exceeds the {limit}-byte limit")
    return decode(read_exact(fd, size, deadline))


def send_model(fd: int, message: BaseModel, deadline: float | None = None) -> None:
    send(fd, message.model_dump(mode="json"), deadline)


def recv_model(
    fd: int, model: type[M], deadline: float | None = None, limit: int = MAX_MESSAGE
) -> M:
    """The next message, validated as ``model``; WireError if it is not one."""
    data = recv(fd, deadline, limit)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise WireError(f"not a {model.__name__}: {problems[:500]}") from None
