"""CPU time per logged-in lesson request, in-process (no sockets, no load generator).

The machine running the throughput benchmark is often shared; this measures what the
app itself costs: the ASGI app is called directly N times for the flagship lesson
page, as a logged-in learner, with the JSON access log written to /dev/null and the
Prometheus metrics on, and the process CPU time is divided by N (the least of 5 rounds
of N/5). The same is done for the minimal FastAPI + Jinja2 baseline page
(bench/_baseline_app.py).

Usage: .venv/bin/python bench/profile_lesson.py [-n 3000] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from web.context import context_of

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LESSON = "/courses/python-backend/learn/modern-async-framework"
ROUNDS = 5


def _scope(path: str, cookie: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _drive(app: Any, path: str, cookie: str, n: int) -> float:
    """Call the app n times; the CPU seconds per request."""
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    for _ in range(50):  # warm up: caches, pools, templates
        await app(_scope(path, cookie), receive, send)
    status.clear()
    best = float("inf")
    for _ in range(ROUNDS):  # the least CPU of several rounds: other load only adds
        start = time.process_time()
        for _ in range(n // ROUNDS):
            await app(_scope(path, cookie), receive, send)
        best = min(best, (time.process_time() - start) / (n // ROUNDS))
    if set(status) != {200}:
        raise SystemExit(f"{path}: unexpected statuses {sorted(set(status))}")
    return best


async def _login(app: Any) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
        token = (await c.get("/api/csrf")).json()["token"]
        data = {"email": "bench@example.org", "password": "bench password 1", "csrf_token": token}
        r = await c.post("/signup", data=data)
        if r.status_code != 303:
            raise SystemExit(f"signup failed: {r.status_code}")
        await c.get(LESSON)
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


async def _main(n: int, profile: str | None) -> None:
    from web.app import create_app
    from web.observe import configure_logging
    from web.settings import WebSettings

    configure_logging()
    devnull = Path(os.devnull).open("w")  # noqa: SIM115 - kept open for the run
    for handler in logging.getLogger("web").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(devnull)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(WebSettings(data_dir=Path(tmp), database_url=None, model=None))
        async with app.router.lifespan_context(app):
            cookie = await _login(app)
            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            tutor_cpu = await _drive(app, LESSON, cookie, n)
            if profiler and profile:
                profiler.disable()
                profiler.dump_stats(profile)
        context_of(app).db_engine.dispose()
    from bench._baseline_app import app as baseline

    base_cpu = await _drive(baseline, "/page", "", n)
    print(f"lesson page:   {tutor_cpu * 1000:.3f} ms CPU per request (n={n})")
    print(f"baseline page: {base_cpu * 1000:.3f} ms CPU per request")
    print(f"ratio: the baseline would allow {100 * base_cpu / tutor_cpu:.0f}% throughput")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="requests to time")
    parser.add_argument("--profile", help="write cProfile stats of the lesson run here")
    args = parser.parse_args()
    asyncio.run(_main(args.n, args.profile))


if __name__ == "__main__":
    main()
