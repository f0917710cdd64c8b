"""A class gradebook at scale on PostgreSQL: 500 learners x 60 exercises of attempts.

Generates a course of 60 quiz exercises (6 sections of 10) in a temporary courses
folder, a class on it with 500 learners, and 0 to 4 attempts per learner and exercise
(about 100,000 attempts) in a fresh PostgreSQL schema (dropped at the end), then starts
``tutor serve`` on that database and times, as the class's instructor:

- a trivial page (``/login``), the baseline;
- the gradebook page (50 learners x 60 exercises), sorted by email and by attempts,
  and filtered by an exercise's status;
- the CSV and JSON downloads (every learner).

Targets: the gradebook page <= 1 s, the CSV download <= 2 s (median of the runs).

Usage: .venv/bin/python bench/gradebook.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
       [--learners 500] [--exercises 60] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert, text
from sqlmodel import Session

from web import migrate
from web.accounts import create_user
from web.db import make_engine
from web.models import Attempt, ClassCourse, ClassMember, Classroom, User

ROOT = Path(__file__).resolve().parents[1]
COURSE = "bench-gradebook"
PASSWORD = "bench password 1"
USERS = User.__table__  # type: ignore[attr-defined]
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def write_course(folder: Path, exercises: int) -> None:
    """A valid course of ``exercises`` one-question quizzes, 10 to a section."""
    sections = (exercises + 9) // 10
    course = folder / COURSE
    (course / "sections").mkdir(parents=True)
    files = "\n".join(f"  - sections/{s:02d}.yaml" for s in range(sections))
    (course / "course.yaml").write_text(
        f"schema_version: 1\nid: {COURSE}\ntitle: Gradebook bench\n"
        "description: Generated for bench/gradebook.py.\n"
        "continue_prompt: Continue to Section {number} ({title})?\n"
        f"sections:\n{files}\n"
    )
    for s in range(sections):
        quizzes = "".join(
            f"  - id: q{s}-{e}\n    kind: quiz\n    title: Quiz {s}.{e}\n    prompt: Pick one.\n"
            f"    questions:\n    - id: q\n      prompt: 2 + 2?\n      type: single\n"
            f"      options:\n      - text: '4'\n        correct: true\n      - text: '5'\n"
            for e in range(min(10, exercises - 10 * s))
        )
        (course / "sections" / f"{s:02d}.yaml").write_text(
            f"id: s{s}\ntitle: Section {s}\ntopics:\n- id: t{s}\n  title: Topic {s}\n"
            f"  points:\n  - id: p{s}\n    title: Point {s}.\n  exercises:\n{quizzes}"
        )


def populate(url: str, learners: int, exercises: int) -> int:
    """The instructor, the class, its learners and their attempts; the class id."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    rng = random.Random(15)
    start = datetime.now(UTC) - timedelta(days=20)
    with Session(engine) as db:
        teacher = create_user(db, "teacher@example.org", PASSWORD, instructor=True).user
        room = Classroom(name="Bench class", owner_id=teacher.id or 0, join_code="BENCH234")
        db.add(room)
        db.flush()
        class_id = room.id or 0
        db.add(ClassCourse(class_id=class_id, course_id=COURSE))
        conn = db.connection()
        ids = (
            conn.execute(
                insert(USERS).returning(USERS.c.id),
                [
                    {
                        "email": f"learner{n:04d}@example.org",
                        "password_hash": "x",
                        "role": "learner",
                        "created_at": start,
                    }
                    for n in range(learners)
                ],
            )
            .scalars()
            .all()
        )
        conn.execute(
            insert(ClassMember),
            [
                {"class_id": class_id, "user_id": uid, "role": "learner", "joined_at": start}
                for uid in ids
            ],
        )
        rows = []
        for uid in ids:
            for e in range(exercises):
                tries = rng.randint(0, 4)
                for k in range(tries):
                    passed = k == tries - 1 and rng.random() < 0.7
                    rows.append(
                        {
                            "user_id": uid,
                            "course_id": COURSE,
                            "exercise_id": f"q{e // 10}-{e % 10}",
                            "kind": "quiz",
                            "passed": passed,
                            "score": 100 if passed else 0,
                            "submission": "{}",
                            "verdict_json": "{}",
                            "created_at": start + timedelta(minutes=rng.randint(0, 28_000)),
                        }
                    )
        for i in range(0, len(rows), 10_000):
            conn.execute(insert(Attempt), rows[i : i + 10_000])
        db.commit()
        print(f"generated {learners} learners, {exercises} exercises, {len(rows)} attempts")
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return class_id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, courses: Path, data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TUTOR_COURSES_DIR": str(courses),
        "TUTOR_DATA_DIR": str(data),
        "TUTOR_MODEL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("tutor serve did not start")


def timed(client: httpx.Client, path: str, runs: int) -> tuple[float, float, int]:
    """Median and worst seconds of ``runs`` GETs (after one warm-up), and the size."""
    r = client.get(path)
    r.raise_for_status()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - t)
        r.raise_for_status()
    return statistics.median(times), max(times), len(r.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--exercises", type=int, default=60)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    schema = f"bench_gb_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.url else "?"
    url = f"{args.url}{sep}options=-csearch_path%3D{schema}"
    proc = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            write_course(Path(tmp) / "courses", args.exercises)
            class_id = populate(url, args.learners, args.exercises)
            proc, base = serve(url, Path(tmp) / "courses", Path(tmp) / "data")
            with httpx.Client(base_url=base, timeout=60) as c:
                token = CSRF_RE.search(c.get("/login").text)
                assert token is not None
                data = {
                    "email": "teacher@example.org",
                    "password": PASSWORD,
                    "csrf_token": token.group(1),
                }
                if c.post("/login", data=data).status_code not in (200, 303):
                    raise SystemExit("login failed")
                book = f"/classes/{class_id}/gradebook"
                cases = [
                    ("baseline: /login (trivial page)", "/login", None),
                    ("gradebook page, by email", book, 1.0),
                    ("gradebook page, by attempts desc", f"{book}?sort=attempts&order=desc", 1.0),
                    (
                        "gradebook page, filtered by status",
                        f"{book}?exercise={COURSE}/q3-4&status=tried",
                        1.0,
                    ),
                    ("gradebook page 10", f"{book}?page=10", 1.0),
                    ("CSV download (every learner)", f"{book}.csv", 2.0),
                    (
                        "JSON download (every learner)",
                        f"/api/classes/{class_id}/gradebook.json",
                        None,
                    ),
                ]
                print(f"{'what':44} {'median':>9} {'worst':>9} {'bytes':>10}  target")
                for name, path, target in cases:
                    median, worst, size = timed(c, path, args.runs)
                    verdict = (
                        ""
                        if target is None
                        else (f"<= {target:.0f} s {'ok' if median <= target else 'MISSED'}")
                    )
                    took = f"{median * 1000:7.1f}ms {worst * 1000:7.1f}ms"
                    print(f"{name:44} {took} {size:10}  {verdict}")
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
