"""The learners of ``bench/load_test.py``, for Locust: a class at a deadline.

Each simulated learner logs in with its own account (waiting as ``Retry-After`` says
when the server answers a login "busy, retry"), then reads lessons, opens the
course page, submits code (right, wrong, or an endless loop), answers a quiz, asks the
tutor and looks at its own account, with a few seconds of thinking between steps.
A separate prober asks ``/healthz`` five times a second throughout.

The plan (accounts, points, exercises) comes from the JSON file named by
``TUTOR_BENCH_PLAN``; every acknowledged submission (201 with an attempt id) is written to
``acks.json`` beside it when Locust stops, so the driver can look each one up in the
database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant_pacing, events, task
from locust.env import Environment

PLAN_FILE = Path(os.environ["TUTOR_BENCH_PLAN"])
PLAN: dict[str, Any] = json.loads(PLAN_FILE.read_text())
COURSE = PLAN["course"]
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
ENDLESS = "while True:\n    pass\n"
BUSY = frozenset({429, 503})

_accounts = itertools.count()
ACKS: list[dict[str, Any]] = []
SLOW_CHECKS: list[float] = []
STATUS_5XX: dict[str, int] = {}


def _count_5xx(name: str, response: Any = None, **_: Any) -> None:
    """Count server errors; a 503 with ``Retry-After`` is the clear "busy, retry" the
    targets allow (counted apart, in a ``busy`` row), not an error."""
    status = getattr(response, "status_code", 0) or 0
    headers = getattr(response, "headers", None) or {}
    if status == 503 and headers.get("retry-after"):
        return
    if status >= 500:
        STATUS_5XX[name] = STATUS_5XX.get(name, 0) + 1


events.request.add_listener(_count_5xx)


def _busy(response: Any) -> float | None:
    """If ``response`` is a clear "busy, retry" (429/503 with ``Retry-After``): count it
    apart, in a row of its own named ``busy <what> <status>`` (the driver sums the
    ``busy`` rows), and return its ``Retry-After`` seconds; else None."""
    retry_after = response.headers.get("retry-after")
    if response.status_code not in BUSY or not retry_after:
        return None
    response.request_meta["name"] = f"busy {response.request_meta['name']} {response.status_code}"
    response.success()
    return float(retry_after)


class Learner(FastHttpUser):
    wait_time = between(1, 4)
    weight = 1

    def on_start(self) -> None:
        self.email = PLAN["emails"][next(_accounts) % len(PLAN["emails"])]
        token = self.client.get("/api/csrf", name="csrf").json()["token"]
        while (wait := self._log_in(token)) is not None:
            time.sleep(wait)  # "busy, retry": wait as Retry-After says, as a person would
        self.csrf = self.client.get("/api/csrf", name="csrf").json()["token"]

    def _log_in(self, token: str) -> float | None:
        """One login try: None once answered, or the seconds to wait when "busy, retry"."""
        with self.client.post(
            "/login",
            data={"email": self.email, "password": PLAN["password"], "csrf_token": token},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as r:
            wait = _busy(r)
            if wait is None and r.status_code != 303:
                r.failure(f"login answered {r.status_code}")
        return wait

    @task(6)
    def read_lesson(self) -> None:
        point = random.choice(PLAN["points"])
        self.client.get(f"/courses/{COURSE}/learn/{point}", name="lesson page")

    @task(1)
    def course_page(self) -> None:
        self.client.get(f"/courses/{COURSE}", name="course page")

    @task(1)
    def me(self) -> None:
        self.client.get("/api/me", name="/api/me")

    @task(3)
    def submit_code(self) -> None:
        exercise = random.choice(PLAN["code"])
        kind = random.choices(["right", "wrong", "endless"], weights=[5, 4, 1])[0]
        source = ENDLESS if kind == "endless" else exercise[kind]
        with self.client.post(
            f"/api/courses/{COURSE}/exercises/{exercise['id']}/check",
            json={"source": source},
            headers={"X-CSRF-Token": self.csrf},
            name=f"check ({kind})",
            catch_response=True,
        ) as r:
            self._judge_submission(r, exercise["id"], kind)

    def _judge_submission(self, r: Any, exercise_id: str, kind: str) -> None:
        seconds = r.request_meta["response_time"] / 1000
        if seconds >= 30:
            SLOW_CHECKS.append(seconds)
        if r.status_code == 201:
            body = r.json()
            ACKS.append({"email": self.email, "exercise": exercise_id, "attempt": body["id"]})
            if kind == "right" and not body["passed"]:
                r.failure("the reference solution did not pass")
            elif kind != "right" and body["passed"]:
                r.failure(f"a {kind} submission passed")
            else:
                r.success()
        elif _busy(r) is None:
            r.failure(f"check answered {r.status_code}: {r.text[:200]}")

    @task(1)
    def answer_quiz(self) -> None:
        quiz = PLAN["quiz"]
        right = random.random() < 0.6
        answers = quiz["right"] if right else quiz["wrong"]
        with self.client.post(
            f"/api/courses/{COURSE}/exercises/{quiz['id']}/quiz",
            json={"answers": answers},
            headers={"X-CSRF-Token": self.csrf},
            name="quiz",
            catch_response=True,
        ) as r:
            if _busy(r) is None and r.status_code != 201:
                r.failure(f"quiz answered {r.status_code}")

    @task(1)
    def ask_tutor(self) -> None:
        point = random.choice(PLAN["points"])
        self.client.post(
            f"/courses/{COURSE}/learn/{point}/tutor",
            data={"action": "ask", "question": "Why would I use this?", "csrf_token": self.csrf},
            headers={"Accept": "application/x-ndjson"},
            name="tutor ask",
        )


class HealthProber(FastHttpUser):
    """One prober, five requests a second, from start to end."""

    fixed_count = 1
    wait_time = constant_pacing(0.2)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")


def _write_acks(environment: Environment, **_: Any) -> None:
    out = {"acks": ACKS, "slow_checks": SLOW_CHECKS, "status_5xx": STATUS_5XX}
    (PLAN_FILE.parent / "acks.json").write_text(json.dumps(out))


events.quitting.add_listener(_write_acks)
