"""Replies streamed to scripts as NDJSON (one JSON event a line): the tutor on a lesson
page and Help on an exercise page answer this way when the request asks for it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import Request

NDJSON = "application/x-ndjson"


async def ndjson(events: AsyncIterator[dict[str, object]]) -> AsyncIterator[bytes]:
    async for ev in events:
        yield (json.dumps(ev) + "\n").encode()


def wants_stream(request: Request) -> bool:
    """The client (the page's script) asked for the reply as it is written."""
    return NDJSON in request.headers.get("accept", "")
