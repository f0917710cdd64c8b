"""Instructor tools: dashboard, CSV, course reload from disk, in-browser editor."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from curriculum import bundled_course_dirs
from curriculum.copying import copy_course
from tests.web.conftest import app_context, csrf, new_client, signup, signup_instructor
from web.app import create_app
from web.context import context_of
from web.models import ProgressEvent, User
from web.settings import WebSettings
from web.tutoring import DbUsageStore


def _section_file(settings: WebSettings) -> Path:
    assert settings.courses_dir is not None
    return settings.courses_dir / "mini" / "sections" / "01-basics.yaml"


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def _refresh(client: TestClient) -> None:
    app_context(client).courses.refresh(force=True)


def test_dashboard_shows_learner_progress_and_csv(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "=learner@example.org")
    learner.post("/courses/mini/learn/plus/complete", data={"csrf_token": csrf(learner)})
    page = client.get("/instructor/courses/mini").text
    assert "=learner@example.org" in page
    assert "<td>33%</td>" in page  # section 1: 1 of (2 points + 1 exercise)
    r = client.get("/instructor/courses/mini/export.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["email", "role", "section 1 %"]
    assert rows[1][0] == "'=learner@example.org"  # no spreadsheet formula injection


def test_untried_exercise_has_no_pass_rate_and_usage_is_per_learner(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "learner@example.org")
    learner.post("/courses/mini/learn/plus/complete", data={"csrf_token": csrf(learner)})
    engine = app_context(client).db_engine
    with Session(engine) as db:
        uid = db.exec(select(User.id).where(User.email == "learner@example.org")).one()
    assert uid is not None
    store = DbUsageStore(engine, "fake-model")

    async def two_calls() -> None:
        for _ in range(2):
            call = await store.add_call(str(uid), time.time(), course_id="mini")
            await store.add_tokens(str(uid), call, prompt=100, completion=20)

    asyncio.run(two_calls())
    page = client.get("/instructor/courses/mini").text
    assert "0%" not in page.split('id="ex-h"')[1]  # nobody tried any exercise yet
    assert "—" in page
    assert '<th scope="col">Model calls</th>' in page
    assert "<td>2</td><td>240</td>" in page  # calls, prompt + completion tokens
    rows = list(csv.reader(io.StringIO(client.get("/instructor/courses/mini/export.csv").text)))
    assert rows[0][-2:] == ["model calls", "model tokens"]
    assert rows[1][-2:] == ["2", "240"]
    assert "learner@example.org" in client.get("/instructor").text  # usage on the dashboard


def test_invalid_edit_on_disk_keeps_last_valid_version(
    client: TestClient, settings: WebSettings
) -> None:
    signup_instructor(client, "teacher@example.org")
    path = _section_file(settings)
    good = path.read_text()
    path.write_text(good.replace("title: Adding numbers", "title: Adding things"))
    _touch_later(path)
    _refresh(client)
    assert "Adding things" in client.get("/courses/mini").text
    path.write_text(good.replace("  title: Adding numbers\n", "  title: Adding\n  colour: red\n"))
    _touch_later(path)
    _refresh(client)
    assert "Adding things" in client.get("/courses/mini").text  # last valid version stays live
    page = client.get("/instructor/courses/mini").text
    assert "01-basics.yaml" in page
    assert "colour" in page


def test_editor_validates_before_saving(client: TestClient, settings: WebSettings) -> None:
    signup_instructor(client, "teacher@example.org")
    name = "sections/01-basics.yaml"
    page = client.get(f"/instructor/courses/mini/edit?file={name}").text
    assert "title: Adding numbers" in page
    path = _section_file(settings)
    good = path.read_text()
    token = csrf(client)
    bad = good.replace("title: Basics", "title: [unclosed")
    r = client.post(
        "/instructor/courses/mini/edit",
        data={"csrf_token": token, "file": name, "content": bad},
    )
    assert r.status_code == 400
    assert "Not saved" in r.text
    assert re.search(r"01-basics\.yaml:\d+", r.text)
    assert path.read_text() == good
    r = client.post(
        "/instructor/courses/mini/edit",
        data={
            "csrf_token": token,
            "file": name,
            "content": good.replace("title: Basics", "title: Basics Edited"),
        },
    )
    assert r.status_code == 200
    assert "Saved" in r.text
    assert "Basics Edited" in path.read_text()
    assert "Basics Edited" in client.get("/courses/mini").text


def test_editor_refuses_paths_outside_the_course(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    r = client.get("/instructor/courses/mini/edit?file=../../etc/passwd")
    assert r.status_code == 404
    r = client.post(
        "/instructor/courses/mini/edit",
        data={"csrf_token": csrf(client), "file": "../x.yaml", "content": "x"},
    )
    assert r.status_code == 400


def test_learner_gets_403_on_instructor_pages(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "l@example.org")
    for path in (
        "/instructor",
        "/instructor/courses/mini",
        "/instructor/courses/mini/export.csv",
        "/instructor/courses/mini/edit",
        "/instructor/learners/1",
    ):
        assert learner.get(path).status_code == 403, path
    r = learner.post(
        "/instructor/courses/mini/edit",
        data={"csrf_token": csrf(learner), "file": "course.yaml", "content": "x"},
    )
    assert r.status_code == 403


def test_watcher_reloads_a_course_edited_on_disk(client: TestClient, settings: WebSettings) -> None:

    assert app_context(client).courses.watching
    path = _section_file(settings)
    path.write_text(path.read_text().replace("title: Adding numbers", "title: Adding watched"))
    deadline = time.monotonic() + 20
    while "Adding watched" not in client.get("/courses/mini").text:
        assert time.monotonic() < deadline, "the watcher did not reload the course"
        time.sleep(0.1)


def test_a_bundled_course_is_read_only_in_the_editor(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    original = (bundled_course_dirs()["python-backend"] / "course.yaml").read_text()
    page = client.get("/instructor/courses/python-backend/edit").text
    assert "ships with Tutor, so it is read-only here" in page
    assert "Duplicate course" in page
    assert "readonly" in page
    assert "Validate and save" not in page
    r = client.post(
        "/instructor/courses/python-backend/edit",
        data={"csrf_token": csrf(client), "file": "course.yaml", "content": "id: x\n"},
    )
    assert r.status_code == 403
    assert "read-only" in r.text
    assert (bundled_course_dirs()["python-backend"] / "course.yaml").read_text() == original


def test_an_adapted_copy_replaces_the_bundled_course(tmp_path: Path) -> None:
    courses = tmp_path / "courses"
    copy_course(
        bundled_course_dirs()["python-backend"],
        courses / "python-backend",
        course_id="python-backend",
        title="Our Backend Course",
    )
    app = create_app(WebSettings(data_dir=tmp_path / "data", courses_dir=courses))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert "Our Backend Course" in c.get("/").text
        assert "Python Backend Development" not in c.get("/").text
        signup_instructor(c, "teacher@example.org")
        page = c.get("/instructor/courses/python-backend/edit").text
        assert "Validate and save" in page
    context_of(app).db_engine.dispose()


def test_class_table_and_api_paginate_learners(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    with Session(app_context(client).db_engine) as db:
        for i in range(60):
            user = User(email=f"l{i:02d}@example.org", password_hash="x")
            db.add(user)
            db.flush()
            assert user.id is not None
            db.add(
                ProgressEvent(
                    user_id=user.id,
                    course_id="mini",
                    kind="completed",
                    target_kind="point",
                    target_id="plus",
                )
            )
        db.commit()
    first = client.get("/instructor/courses/mini").text
    assert "Learners 1–50 of 60." in first and 'rel="next"' in first
    assert "l00@example.org" in first and "l50@example.org" not in first
    second = client.get("/instructor/courses/mini?page=2").text
    assert "Learners 51–60 of 60." in second and "l59@example.org" in second
    assert "l00@example.org" not in second
    api = client.get("/api/instructor/courses/mini/learners", params={"page": 2}).json()
    assert [r["email"] for r in api] == [f"l{i}@example.org" for i in range(50, 60)]
    csv_rows = list(csv.reader(io.StringIO(client.get("/instructor/courses/mini/export.csv").text)))
    assert len(csv_rows) == 1 + 60  # the export still has everyone, read page by page


def test_learner_page_shows_progress_plain_checks_diffs_and_quiz_answers(
    client: TestClient,
) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "learner@example.org")
    code = "/courses/mini/exercises/add-function"
    for source in ("def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"):
        learner.post(f"{code}/check", data={"csrf_token": csrf(learner, code), "source": source})
    quiz = "/courses/mini/exercises/sum-quiz"
    learner.post(f"{quiz}/quiz", data={"csrf_token": csrf(learner, quiz), "q-two-plus-two": "1"})
    learner_id = 2  # the instructor is user 1
    page = client.get(f"/instructor/learners/{learner_id}").text
    assert 'role="progressbar"' in page  # progress per section
    assert "<del>-    return a - b</del>" in page  # the second attempt diffed against the first
    assert "<ins>+    return a + b</ins>" in page
    assert "✓ What is 2 + 2?" not in page
    assert "What is 2 + 2?: <q>5</q>" in page  # the question and the chosen option, not JSON
    assert "&#34;two-plus-two&#34;" not in page and '"two-plus-two"' not in page
    assert "✗" in page  # the failed check of the first attempt, in plain words
