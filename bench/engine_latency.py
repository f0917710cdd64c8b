"""Benchmark: the engine's overhead from a learner request to the first streamed byte.

Run ``.venv/bin/python bench/engine_latency.py``. It starts the fake OpenAI server of
the tests (``tests/tutor/fake_openai.py``) in its own process (so it does not share the
GIL) with a 20 ms time to first token. The server stamps, with the system-wide
monotonic clock, when each request arrived and when its first content chunk left.
For each request:

* the server's own time to first token = first content sent - request received;
* the overhead = (request received - learner request) + (first delta shown - first
  content sent): everything the client side adds before and after the server's work;
* the client process's CPU time to the first content (its own work, which a loaded
  machine does not inflate the way it inflates wall-clock time).

Measured in the same run for three clients, interleaved in a shuffled order:
``Tutor.turn`` (the engine: flow step, prompt build, limits, the ``openai`` client,
event stream), the ``openai`` client alone with the same request, and a plain ``httpx``
streaming POST (the in-run baseline, the floor). Target: engine overhead <= 5 ms median.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from pathlib import Path

import httpx

from curriculum import resolve_course
from curriculum.model import Course
from tutor import flow
from tutor import navigation as nav
from tutor.backends.base import ModelRequest
from tutor.backends.openai_backend import OpenAIBackend, OpenAIOptions
from tutor.engine import Tutor
from tutor.events import BackendEvent, Delta
from tutor.limits import Limiter, LimitSettings
from tutor.state import LearnerState

ROUNDS = 100
FIRST_TOKEN_S = 0.02
TARGET_MS = 5.0
REPLY = "## Explanation\n\nShort.\n"
Stamp = tuple[float, float]  # (monotonic, process CPU time) when the first content showed


async def via_httpx(client: httpx.AsyncClient, url: str, body: dict[str, object]) -> Stamp:
    first: Stamp | None = None
    async with client.stream("POST", url, json=body) as response:
        async for line in response.aiter_lines():
            if first is None and '"content": "' in line and '"content": ""' not in line:
                first = (time.monotonic(), time.process_time())
    assert first is not None, "no content arrived"
    return first


async def via_client(backend: OpenAIBackend, body: dict[str, object]) -> Stamp:
    first: Stamp | None = None
    stream = await backend.client.chat.completions.create(**body)  # type: ignore[call-overload]
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = (time.monotonic(), time.process_time())
    assert first is not None, "no content arrived"
    return first


async def via_engine(tutor: Tutor, course: Course, state: LearnerState) -> Stamp:
    first: Stamp | None = None
    async for ev in tutor.turn(course, state, flow.Shortcut(name="another_example")):
        if ev.kind == "delta" and first is None:
            first = (time.monotonic(), time.process_time())
        if ev.kind == "error":
            raise RuntimeError(ev.message)
    assert first is not None, "no content arrived"
    return first


Runner = Callable[[], Awaitable[Stamp]]


Timing = tuple[float, float, float, float]


async def timed(run: Runner, client: httpx.AsyncClient, base_url: str) -> Timing:
    """Server time to first token, overhead before the request and after the first chunk,
    and the client process's CPU time to the first content (all in ms)."""
    start, start_cpu = time.monotonic(), time.process_time()
    shown, shown_cpu = await run()
    stamps = (await client.get(f"{base_url}/_timings")).json()["timings"]
    received, sent = stamps[-1]
    return (
        (sent - received) * 1000,
        (received - start) * 1000,
        (shown - sent) * 1000,
        (shown_cpu - start_cpu) * 1000,
    )


async def measure(base_url: str) -> dict[str, list[Timing]]:
    course = resolve_course("python-backend")
    pos = nav.parse_position(course, "2/2/1")
    state = flow.state_at(course, pos).model_copy(update={"taught": True})
    backend = OpenAIBackend(OpenAIOptions(model="fake", api_key="bench", base_url=base_url))
    limiter = Limiter(LimitSettings(requests_per_minute=10**9, daily_tokens=10**12))
    tutor = Tutor(backend, limiter=limiter)
    task = flow.step(course, state, flow.Shortcut(name="another_example"))[1][0]
    assert isinstance(task, flow.Teach)
    request = tutor.request(course, state, task)
    body: dict[str, object] = {
        "model": "fake",
        "messages": [m.model_dump() for m in request.messages],
        "max_tokens": request.max_tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    results: dict[str, list[Timing]] = {"engine": [], "openai": [], "httpx": []}
    async with httpx.AsyncClient() as client, httpx.AsyncClient() as stamps:
        url = f"{base_url}/chat/completions"
        runners: dict[str, Runner] = {
            "engine": lambda: via_engine(tutor, course, state),
            "openai": lambda: via_client(backend, body),
            "httpx": lambda: via_httpx(client, url, body),
        }
        for name in runners:  # warm up connections and imports
            for _ in range(5):
                await timed(runners[name], stamps, base_url)
        order = random.Random(4)
        names = list(runners)
        for _ in range(ROUNDS):
            order.shuffle(names)
            for name in names:
                results[name].append(await timed(runners[name], stamps, base_url))
    await backend.aclose()
    return results


class InstantBackend:
    """Yields one delta at once: what the engine itself costs, with no client or network."""

    model = "instant"
    generates = True

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        yield Delta(text="x")


async def engine_alone(course: Course, state: LearnerState) -> float:
    """Median ms from the learner event to the first delta with the instant backend."""
    limiter = Limiter(LimitSettings(requests_per_minute=10**9, daily_tokens=10**12))
    tutor = Tutor(InstantBackend(), limiter=limiter)
    times = []
    for _ in range(300):
        start = time.perf_counter()
        async for ev in tutor.turn(course, state, flow.Shortcut(name="another_example")):
            if ev.kind == "delta":
                times.append(time.perf_counter() - start)
    return statistics.median(times[30:]) * 1000


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.tutor.fake_openai", str(FIRST_TOKEN_S), REPLY],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        results = asyncio.run(measure(server.stdout.readline().strip()))
    finally:
        server.terminate()
        server.wait()
    print(f"engine latency to the first streamed byte ({ROUNDS} rounds each)")
    ttft = statistics.median(t for rows in results.values() for t, _, _, _ in rows)
    print(f"  fake server's own time to first token : median {ttft:6.2f} ms")
    labels = {
        "httpx": "baseline: plain httpx stream        ",
        "openai": "openai client alone, plain create() ",
        "engine": "engine: Tutor.turn -> first delta   ",
    }
    overheads = {}
    for name, label in labels.items():
        rows = results[name]
        overheads[name] = statistics.median(pre + post for _, pre, post, _ in rows)
        pre = statistics.median(r[1] for r in rows)
        post = statistics.median(r[2] for r in rows)
        cpu = statistics.median(r[3] for r in rows)
        print(
            f"  {label}: overhead median {overheads[name]:6.2f} ms "
            f"(before the request {pre:.2f}, after the first chunk {post:.2f}; "
            f"client CPU {cpu:.2f})"
        )
    course = resolve_course("python-backend")
    state = flow.state_at(course, nav.parse_position(course, "2/2/1"))
    alone = asyncio.run(engine_alone(course, state.model_copy(update={"taught": True})))
    print(f"  engine's own work (instant in-process backend): median {alone:.2f} ms")
    engine = overheads["engine"]
    ok = engine <= TARGET_MS
    verdict = "PASS" if ok else "FAIL"
    print(f"  engine overhead {engine:.2f} ms vs target <= {TARGET_MS:.0f} ms: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
