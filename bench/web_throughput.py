"""Lesson-page throughput and p99 latency vs a minimal FastAPI + Jinja2 page.

Both are served the same way (one uvicorn process each, on 127.0.0.1), loaded in the
same run at 50 and 200 concurrent clients with ``wrk`` (Debian's package: installed
here when missing and run as root; else an asyncio httpx load generator), then the
Tutor server's resident memory is read from /proc. The Tutor page is a logged-in
learner's authored lesson of the flagship course.

Beside throughput and latency, each server's CPU time per request is read from /proc
(its user + system time over the run, divided by the requests answered): a figure that
other load on a shared machine distorts far less than requests per second.

Targets: >= 60% of the baseline's throughput, p99 <= 50 ms at 50 clients, RSS <= 150 MB.

Runs alternate between the two pages (3 rounds per level by default) and the medians are
reported, so drifting load from other processes affects both alike.

Usage: .venv/bin/python bench/web_throughput.py [--seconds 12] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LESSON = "/courses/python-backend/learn/modern-async-framework"


@dataclass
class Result:
    clients: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float = float("nan")  # the server's CPU time per request
    requests: int = 0  # answered in the run


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited early ({proc.returncode})")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def start(cmd: list[str], env: dict[str, str], ready_url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_ready(ready_url, proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def login_cookie(base: str) -> str:
    with httpx.Client(base_url=base) as c:
        token = c.get("/api/csrf").json()["token"]
        data = {"email": "bench@example.org", "password": "bench password 1", "csrf_token": token}
        r = c.post("/signup", data=data)
        if r.status_code != 303:
            raise SystemExit(f"signup failed: {r.status_code}")
        c.get(LESSON)  # first view records "opened" once; later views only read
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def _ms(text: str) -> float:
    value = float(re.sub(r"[a-z]+$", "", text))
    unit = re.sub(r"^[0-9.]+", "", text)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}.get(unit, 1.0)


def run_wrk(url: str, clients: int, seconds: int, cookie: str) -> Result:
    """``wrk -t2``: two load threads, like the two cores the server shares with it."""
    cmd = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    answered = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    count = int(errors.group(1)) if errors else 0
    if socket_errors:
        count += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Result(clients, rps, p50, p99, count, requests=answered)


async def _client(
    c: httpx.AsyncClient, url: str, end: float, lat: list[float], err: list[int]
) -> None:
    while time.perf_counter() < end:
        t = time.perf_counter()
        try:
            r = await c.get(url)
            if r.status_code != 200:
                err.append(1)
        except httpx.HTTPError:
            err.append(1)
        lat.append(time.perf_counter() - t)


async def _httpx_load(url: str, clients: int, seconds: int, cookie: str) -> Result:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    headers = {"cookie": cookie} if cookie else {}
    lat: list[float] = []
    err: list[int] = []
    async with httpx.AsyncClient(limits=limits, headers=headers, timeout=10) as c:
        end = time.perf_counter() + seconds
        await asyncio.gather(*(_client(c, url, end, lat, err) for _ in range(clients)))
    lat.sort()

    def pick(q: float) -> float:
        return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000

    return Result(clients, len(lat) / seconds, pick(0.5), pick(0.99), len(err), requests=len(lat))


def load(url: str, clients: int, seconds: int, cookie: str = "", server: int = 0) -> Result:
    """Load ``url``; with ``server`` (its PID), also its CPU time per request."""
    before = cpu_seconds(server) if server else 0.0
    if shutil.which("wrk"):
        result = run_wrk(url, clients, seconds, cookie)
    else:
        result = asyncio.run(_httpx_load(url, clients, seconds, cookie))
    if server and result.requests:
        result.cpu_ms = 1000 * (cpu_seconds(server) - before) / result.requests
    return result


def _median(results: list[Result], clients: int) -> Result:
    def mid(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return Result(
        clients,
        mid([r.rps for r in results]),
        mid([r.p50_ms for r in results]),
        mid([r.p99_ms for r in results]),
        sum(r.errors for r in results),
        mid([r.cpu_ms for r in results]),
    )


@dataclass
class Target:
    url: str
    pid: int
    cookie: str = ""


def interleaved(
    tutor: Target, base: Target, clients: int, seconds: int, rounds: int
) -> tuple[Result, Result]:
    """Alternate short runs of both pages (the machine's load drifts); report medians."""
    each = max(2, seconds // rounds)
    t_runs, b_runs = [], []
    for _ in range(rounds):
        t_runs.append(load(tutor.url, clients, each, tutor.cookie, tutor.pid))
        b_runs.append(load(base.url, clients, each, base.cookie, base.pid))
    return _median(t_runs, clients), _median(b_runs, clients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=12, help="load time per page and level")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per level")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # run as a script: bench/ is not a package on the path
    from bench._tools import ensure_debian_package

    ensure_debian_package("wrk")
    tmp = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    env = {
        **os.environ,
        "TUTOR_DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": "",
        "TUTOR_COURSES_DIR": "",
        "TUTOR_MODEL": "",
    }
    tport, bport = free_port(), free_port()
    tutor = start(
        [sys.executable, "-m", "tutor.cli", "serve", "--port", str(tport)],
        env,
        f"http://127.0.0.1:{tport}/healthz",
    )
    base = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench._baseline_app:app",
            "--loop",
            "asyncio",  # served the same way as tutor serve
            "--port",
            str(bport),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env,
        f"http://127.0.0.1:{bport}/page",
    )
    try:
        cookie = login_cookie(f"http://127.0.0.1:{tport}")
        tutor_target = Target(f"http://127.0.0.1:{tport}{LESSON}", tutor.pid, cookie)
        base_target = Target(f"http://127.0.0.1:{bport}/page", base.pid)
        load(tutor_target.url, 10, 2, cookie)  # warm up (the lesson is rendered once, then cached)
        load(base_target.url, 10, 2)
        print(f"load generator: {'wrk' if shutil.which('wrk') else 'httpx (asyncio)'}")
        print(
            f"{'clients':>7} {'page':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
            f"{'server CPU ms/req':>17}"
        )
        ratios = {}
        for clients in (50, 200):
            t, b = interleaved(tutor_target, base_target, clients, args.seconds, args.rounds)
            for name, r in (("lesson", t), ("baseline", b)):
                print(
                    f"{clients:>7} {name:<9} {r.rps:>9.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} "
                    f"{r.errors:>6} {r.cpu_ms:>17.3f}"
                )
            ratios[clients] = (t, b)
        memory = rss_mb(tutor.pid)
        t50, b50 = ratios[50]
        t200, b200 = ratios[200]
        print(
            f"throughput vs baseline: {100 * t50.rps / b50.rps:.0f}% at 50 clients, "
            f"{100 * t200.rps / b200.rps:.0f}% at 200 clients (target >= 60%)"
        )
        print(
            f"server CPU per request vs baseline: {100 * b50.cpu_ms / t50.cpu_ms:.0f}% at 50 "
            f"clients, {100 * b200.cpu_ms / t200.cpu_ms:.0f}% at 200 (the throughput the CPU "
            "alone would allow; less distorted by other load on the machine)"
        )
        print(f"p99 at 50 clients: {t50.p99_ms:.1f} ms (target <= 50 ms)")
        print(f"server RSS after the runs: {memory:.0f} MB (target <= 150 MB)")
    finally:
        stop(tutor)
        stop(base)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
