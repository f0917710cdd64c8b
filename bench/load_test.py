"""A class at a deadline: 200 learners against ``tutor serve --workers 2`` on PostgreSQL.

Three phases, one server, one run:

1. **Idle baseline**: ``/healthz`` and a lesson page, one request at a time.
2. **A class at work** (Locust, ``bench/_locustfile.py``): every learner logs in, reads
   lessons, opens the course page, submits code (right, wrong or an endless loop),
   answers a quiz, asks the tutor (offline) and opens ``/api/me``, thinking 1-4 s between
   steps; a prober asks ``/healthz`` five times a second.
3. **A submission burst**: every learner submits at the same moment (a tenth of them an
   endless loop), while ``/healthz`` and a lesson page are probed every 100 ms.

Then every acknowledged submission (201 with an attempt id) is looked up in the database.

Targets on a 2-core machine: zero 5xx, zero lost submissions, ``/healthz`` p99 <= 100 ms
and lesson pages p99 <= 300 ms while the graders are saturated, every check answered
(a verdict or a clear "busy, retry" with ``Retry-After``) within 30 s.

Usage: .venv/bin/python bench/load_test.py [--users 200] [--seconds 90] [--workers 2]
       [--admin-url postgresql://postgres@127.0.0.1:5432/test]
The run makes its own database (``tutor_load_<pid>``) next to the admin URL's and drops it.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import text
from sqlmodel import Session

from curriculum import Course, resolve_course
from curriculum.model import CodeExercise, QuizExercise, source_text

ROOT = Path(__file__).resolve().parents[1]
COURSE = "python-backend"
PASSWORD = "load test password 1"
CODE_EXERCISES = ("pydantic-signup-validator", "ttl-cache-aside", "strictly-typed-port-parser")
TIME_LIMIT_S = 30.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new PostgreSQL database for this run, dropped afterwards."""
    name = f"tutor_load_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _quiz_answers(quiz: QuizExercise, *, right: bool) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in quiz.questions:
        correct = [i for i, o in enumerate(q.options) if o.correct]
        wrong = [i for i, o in enumerate(q.options) if not o.correct]
        if q.type == "short":
            answers[q.id] = q.answers[0] if right else "no idea"
        elif q.type == "single":
            answers[q.id] = correct[0] if right else wrong[0]
        else:
            answers[q.id] = correct if right else wrong[:1]
    return answers


def make_plan(course: Course, emails: list[str]) -> dict[str, Any]:
    points = [p.point.id for p in course.outline.points if p.lesson][:30]
    exercises = {ref.exercise.id: ref.exercise for ref in course.outline.exercises}
    code = []
    for ex_id in CODE_EXERCISES:
        ex = exercises[ex_id]
        assert isinstance(ex, CodeExercise)
        code.append(
            {"id": ex_id, "right": source_text(ex.solution), "wrong": source_text(ex.starter)}
        )
    quiz = next(e for e in exercises.values() if isinstance(e, QuizExercise))
    return {
        "course": course.id,
        "points": points,
        "code": code,
        "quiz": {
            "id": quiz.id,
            "right": _quiz_answers(quiz, right=True),
            "wrong": _quiz_answers(quiz, right=False),
        },
        "emails": emails,
        "password": PASSWORD,
    }


def create_learners(database_url: str, count: int) -> list[str]:
    from web.accounts import create_user
    from web.db import make_engine

    engine = make_engine(database_url)
    emails = [f"learner{i:03d}@load.test" for i in range(count)]
    with Session(engine) as db:
        for email in emails:
            create_user(db, email, PASSWORD)
    engine.dispose()
    return emails


@dataclass
class Server:
    env: dict[str, str]
    workers: int
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path) -> None:
        cmd = [sys.executable, "-m", "tutor.cli", "serve", "--port", str(self.port)]
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*cmd, "--workers", str(self.workers)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit("server did not become ready")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)


async def login(client: httpx.AsyncClient, email: str) -> str:
    """Log in (waiting as ``Retry-After`` says while the server answers "busy, retry");
    the CSRF token of the session."""
    token = (await client.get("/api/csrf")).json()["token"]
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    r = await client.post("/login", data=form)
    while r.status_code == 503 and r.headers.get("retry-after"):
        await asyncio.sleep(float(r.headers["retry-after"]))
        r = await client.post("/login", data=form)
    if r.status_code != 303:
        raise SystemExit(f"login of {email} answered {r.status_code}: {r.text[:300]}")
    return str((await client.get("/api/csrf")).json()["token"])


async def idle_baseline(url: str, email: str, point: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"/healthz": [], "lesson page": []}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await login(client, email)
        for _ in range(150):
            for name, path in (
                ("/healthz", "/healthz"),
                ("lesson page", f"/courses/{COURSE}/learn/{point}"),
            ):
                t0 = time.perf_counter()
                await client.get(path)
                out[name].append((time.perf_counter() - t0) * 1000)
    return out


@dataclass
class Burst:
    submissions: list[tuple[int, float, str]] = field(default_factory=list)  # status, ms, body
    probes: dict[str, list[float]] = field(
        default_factory=lambda: {"/healthz": [], "lesson page": []}
    )
    probe_errors: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)


async def _probe(url: str, email: str, point: str, burst: Burst, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await login(client, email)
        while not stop.is_set():
            for name, path in (
                ("/healthz", "/healthz"),
                ("lesson page", f"/courses/{COURSE}/learn/{point}"),
            ):
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                burst.probes[name].append((time.perf_counter() - t0) * 1000)
                burst.probe_errors += 0 if ok else 1
            await asyncio.sleep(0.1)


async def _submit(
    client: httpx.AsyncClient, email: str, token: str, plan: dict[str, Any], i: int, burst: Burst
) -> None:
    exercise = plan["code"][i % len(plan["code"])]
    source = "while True:\n    pass\n" if i % 10 == 0 else exercise["right" if i % 2 else "wrong"]
    t0 = time.perf_counter()
    try:
        r = await client.post(
            f"/api/courses/{COURSE}/exercises/{exercise['id']}/check",
            json={"source": source},
            headers={"X-CSRF-Token": token},
        )
        status, body = r.status_code, r.text
        if status in (429, 503) and not r.headers.get("retry-after"):
            status = -status  # busy without Retry-After is not a clear answer
        if status == 201:
            burst.acks.append(
                {"email": email, "exercise": exercise["id"], "attempt": r.json()["id"]}
            )
    except httpx.HTTPError as exc:
        status, body = 0, repr(exc)
    burst.submissions.append((status, (time.perf_counter() - t0) * 1000, body[:200]))


async def submission_burst(url: str, plan: dict[str, Any]) -> Burst:
    burst = Burst()
    emails: list[str] = plan["emails"]
    limits = httpx.Limits(max_connections=len(emails) + 10)
    clients = [httpx.AsyncClient(base_url=url, timeout=60, limits=limits) for _ in emails]
    try:
        tokens = []
        for chunk in range(0, len(emails), 20):  # log in 20 at a time
            tokens += await asyncio.gather(
                *(
                    login(c, e)
                    for c, e in zip(
                        clients[chunk : chunk + 20], emails[chunk : chunk + 20], strict=True
                    )
                )
            )
        stop = asyncio.Event()
        prober = asyncio.create_task(_probe(url, emails[0], plan["points"][0], burst, stop))
        await asyncio.sleep(1)
        await asyncio.gather(
            *(
                _submit(c, e, t, plan, i, burst)
                for i, (c, e, t) in enumerate(zip(clients, emails, tokens, strict=True))
            )
        )
        stop.set()
        await prober
    finally:
        for c in clients:
            await c.aclose()
    return burst


def run_locust(
    url: str, plan_file: Path, users: int, seconds: int
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    prefix = plan_file.parent / "locust"
    cmd = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "_locustfile.py"),
        "--headless", "-u", str(users + 1), "-r", "20", "-t", f"{seconds}s",
        "--host", url, "--csv", str(prefix), "--only-summary", "--stop-timeout", "40",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "TUTOR_BENCH_PLAN": str(plan_file)}
    with (plan_file.parent / "locust.log").open("wb") as log:
        subprocess.run(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False, timeout=seconds + 240
        )
    with (plan_file.parent / "locust_stats.csv").open() as f:
        rows = list(csv.DictReader(f))
    extra = json.loads((plan_file.parent / "acks.json").read_text())
    return rows, extra


def lost_submissions(database_url: str, acks: list[dict[str, Any]]) -> int:
    from web.db import make_engine

    if not acks:
        return 0
    engine = make_engine(database_url)
    ids = [int(a["attempt"]) for a in acks]
    with engine.connect() as conn:
        found = {
            row[0]
            for row in conn.execute(
                text(
                    'SELECT a.id FROM attempt a JOIN "user" u ON u.id = a.user_id '
                    "WHERE a.id = ANY(:ids)"
                ),
                {"ids": ids},
            )
        }
    engine.dispose()
    return len(set(ids) - found)


def _row(name: str, values: list[float], extra: str = "") -> str:
    p50, p99 = pct(values, 50), pct(values, 99)
    return f"  {name:<24} n={len(values):<6} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms  {extra}"


def report(
    base: dict[str, list[float]],
    rows: list[dict[str, str]],
    extra: dict[str, Any],
    burst: Burst,
    lost: int,
) -> bool:
    print("\n== 1. idle baseline (one request at a time)")
    for name, values in base.items():
        print(_row(name, values))
    print("\n== 2. a class at work (Locust)")
    print(f"  {'request':<24} {'count':>7} {'fail':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    five_xx = sum(int(v) for v in extra.get("status_5xx", {}).values())
    for r in rows:
        print(
            f"  {r['Name']:<24} {r['Request Count']:>7} {r['Failure Count']:>6} "
            f"{r['50%']:>8} {r['99%']:>8} {float(r['Max Response Time']):>8.0f}"
        )
    stats = {r["Name"]: r for r in rows}
    failures = int(stats.get("Aggregated", {}).get("Failure Count", "0"))
    busy = {r["Name"]: int(r["Request Count"]) for r in rows if r["Name"].startswith("busy")}
    busy_logins = sum(n for name, n in busy.items() if name.startswith("busy login"))
    print(
        f"  5xx answers: {five_xx}   failures: {failures}   busy with Retry-After: "
        f"{sum(busy.values()) - busy_logins} (logins: {busy_logins})   "
        f"checks over {TIME_LIMIT_S:.0f} s: {len(extra['slow_checks'])}"
    )
    print("\n== 3. submission burst: every learner submits at once")
    statuses: dict[int, int] = {}
    for status, _, _ in burst.submissions:
        statuses[status] = statuses.get(status, 0) + 1
    times = [ms for _, ms, _ in burst.submissions]
    print(f"  answers by status: {dict(sorted(statuses.items()))}")
    for status, _, body in [s for s in burst.submissions if s[0] not in (201, 429, 503)][:3]:
        print(f"    unclear answer ({status}): {body}")
    print(_row("submission", times, f"max {max(times):.0f} ms"))
    for name, values in burst.probes.items():
        print(_row(f"{name} (during burst)", values))
    print(f"  probe errors: {burst.probe_errors}")
    print(f"\n== lost submissions (acknowledged, no attempt row): {lost}")
    unclear = sum(n for s, n in statuses.items() if s not in (201, 429, 503))
    checks = [
        ("zero 5xx (class at work)", five_xx == 0),
        ("zero 5xx or unclear answers (burst)", unclear == 0),
        ("zero lost submissions", lost == 0),
        ("/healthz p99 <= 100 ms during the burst", pct(burst.probes["/healthz"], 99) <= 100),
        ("lesson page p99 <= 300 ms during the burst", pct(burst.probes["lesson page"], 99) <= 300),
        (
            "every check answered within 30 s",
            max(times) < TIME_LIMIT_S * 1000 and not extra["slow_checks"],
        ),
    ]
    print("\n== targets")
    for name, ok in checks:
        print(f"  {'met    ' if ok else 'NOT MET'} {name}")
    return all(ok for _, ok in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    course = resolve_course(COURSE)
    with (
        tempfile.TemporaryDirectory(prefix="tutor-load-") as tmp,
        fresh_database(args.admin_url) as db_url,
    ):
        work = Path(tmp)
        env = {**os.environ, "TUTOR_DATA_DIR": str(work / "data"), "DATABASE_URL": db_url}
        subprocess.run(
            [sys.executable, "-m", "tutor.cli", "db", "upgrade"],
            env=env,
            check=True,
            capture_output=True,
        )
        emails = create_learners(db_url, args.users)
        plan = make_plan(course, emails)
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan))
        server = Server(env=env, workers=args.workers)
        server.start(work / "server.log")
        print(
            f"tutor serve --workers {args.workers} on PostgreSQL, "
            f"{args.users} learners, {os.cpu_count()} cores"
        )
        try:
            base = asyncio.run(idle_baseline(server.url, emails[0], plan["points"][0]))
            rows, extra = run_locust(server.url, plan_file, args.users, args.seconds)
            burst = asyncio.run(submission_burst(server.url, plan))
            lost = lost_submissions(db_url, [*extra["acks"], *burst.acks])
        finally:
            server.stop()
        ok = report(base, rows, extra, burst, lost)
        if not ok:
            print("\nserver log tail:\n" + (work / "server.log").read_text()[-3000:])
    print(f"\nrun done: {'all targets met' if ok else 'targets NOT met'}")


if __name__ == "__main__":
    main()
