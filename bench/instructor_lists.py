"""Instructor lists with a big class: each request costs one page, not the class.

Seeds 300 learners with 100 tutor calls and 100 attempts each (30,000 of each) on the
bundled course, a flag on every tenth call, and model usage per call, in a fresh data
directory (SQLite) or a fresh PostgreSQL schema (``--url``, dropped at the end); then, as
an instructor, in process (FastAPI's test client), times each list's first and a deep
page and the downloads, and reports each response's size: pages stay the same size
however many rows there are, downloads grow with the class.

Usage: .venv/bin/python bench/instructor_lists.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
       [--learners 300] [--per-learner 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, text

from web import migrate
from web.app import create_app
from web.context import context_of
from web.db import make_engine
from web.models import Attempt, ModelUsage, TutorCall, TutorFlag, User
from web.settings import WebSettings
from web.setup import setup_token

COURSE, POINT = "python-backend", "modern-async-framework"
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def seed(url: str, learners: int, per: int, instructor_id: int) -> int:
    """The class's rows, in bulk; the first learner's id."""
    engine = make_engine(url)
    with engine.begin() as db:
        users = [{"email": f"l{i:04d}@example.org", "password_hash": "x"} for i in range(learners)]
        db.execute(insert(User.__table__), users)  # type: ignore[attr-defined]
        ids = [row[0] for row in db.execute(text("SELECT id FROM \"user\" WHERE role='learner'"))]
        common = {"course_id": COURSE, "model": "fake", "guard": "passed", "prompt_hash": "h"}
        calls = [
            common | {"user_id": u, "target_kind": "point", "target_id": POINT,
                      "question": f"question {n}", "reply": "a reply " * 40}
            for u in ids for n in range(per)
        ]  # fmt: skip
        db.execute(insert(TutorCall.__table__), calls)  # type: ignore[attr-defined]
        db.execute(
            insert(ModelUsage.__table__),  # type: ignore[attr-defined]
            [{"user_id": c["user_id"], "course_id": COURSE, "model": "fake"} for c in calls],
        )
        attempts = [
            {"user_id": u, "course_id": COURSE, "exercise_id": "x", "kind": "code",
             "submission": "print('hello')\n" * 20, "verdict_json": "{}"}
            for u in ids for _ in range(per)
        ]  # fmt: skip
        db.execute(insert(Attempt.__table__), attempts)  # type: ignore[attr-defined]
        call_ids = [row[0] for row in db.execute(text("SELECT id FROM tutor_call"))]
        db.execute(
            insert(TutorFlag.__table__),  # type: ignore[attr-defined]
            [{"call_id": c, "instructor_id": instructor_id, "note": ""} for c in call_ids[::10]],
        )
    engine.dispose()
    return int(min(ids))


def timed(client: TestClient, path: str, runs: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(path)
        times.append(time.perf_counter() - start)
        assert r.status_code == 200, (path, r.status_code)
        size = len(r.content)
    return statistics.median(times), max(times), size


def run(url: str | None, learners: int, per: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = WebSettings(data_dir=Path(tmp) / "data", database_url=url)
        app = create_app(settings)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            token = CSRF_RE.search(client.get("/signup").text)
            assert token
            secret = setup_token(context_of(app).secret)
            form = {"email": "teacher@example.org", "password": "bench password 1"}
            client.post("/signup", data=form | {"csrf_token": token[1], "setup_token": secret})
            first = seed(settings.effective_database_url, learners, per, instructor_id=1)
            print(f"seeded {learners} learners x {per} tutor calls, attempts and usage rows")
            deep_call = learners * per // 2
            paths = [
                ("learner page (attempts + tutor calls)", f"/instructor/learners/{first}"),
                ("learner page, older calls", f"/instructor/learners/{first}?calls_before={per}"),
                ("tutor API, 200 calls", f"/api/instructor/learners/{first}/tutor?limit=200"),
                ("flags page", "/instructor/flags"),
                ("flags page, deep", f"/instructor/flags?before={deep_call}"),
                ("dashboard (usage page 1)", "/instructor"),
                ("dashboard (usage page 5)", "/instructor?page=5"),
                ("course page (class table)", f"/instructor/courses/{COURSE}"),
                ("progress CSV (every learner)", f"/instructor/courses/{COURSE}/export.csv"),
                ("learner export JSON", f"/instructor/learners/{first}/export.json"),
            ]
            print(f"{'what':44} {'median':>9} {'worst':>9} {'bytes':>10}")
            for label, path in paths:
                median, worst, size = timed(client, path, runs)
                print(f"{label:44} {median * 1000:7.1f}ms {worst * 1000:7.1f}ms {size:10d}")
        context_of(app).db_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a PostgreSQL URL (a fresh schema is made and dropped)")
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--per-learner", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.url is None:
        run(None, args.learners, args.per_learner, args.runs)
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.url else "?"
    url = f"{args.url}{sep}options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        run(url, args.learners, args.per_learner, args.runs)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
