"""Learner pages: catalogue, course, lessons, next/continue, progress, offline tutor."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from tests.web.conftest import app_context, csrf, new_client, signup, signup_instructor

LESSON = "/courses/mini/learn/plus"


def test_catalogue_lists_flagship_first(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    flagship = r.text.index("/courses/python-backend")
    assert flagship < r.text.index("/courses/mini")


def test_lesson_is_rendered_safely_with_highlighting(client: TestClient) -> None:
    r = client.get(LESSON)
    assert r.status_code == 200
    assert '<div class="highlight">' in r.text
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert" in r.text
    assert "<h2>Try it yourself</h2>" in r.text


def test_lesson_render_is_cached(client: TestClient) -> None:
    from web import render

    client.get(LESSON)
    cached = [k for k in render._cache if k[0] == "mini" and k[2] == "plus"]
    assert len(cached) == 1
    before = render._cache[cached[0]]
    client.get(LESSON)
    assert render._cache[cached[0]] is before


def test_offline_point_says_so_and_offers_instructors_the_prompt(client: TestClient) -> None:
    r = client.get("/courses/mini/learn/no-lesson")
    assert r.status_code == 200
    assert "no written lesson yet" in r.text and "offline-prompt" not in r.text
    signup_instructor(client, "t@example.org")
    r = client.get("/courses/mini/learn/no-lesson")
    assert 'data-copy-target="offline-prompt"' in r.text
    assert "A point without a written lesson." in r.text.split('id="offline-prompt"')[1]


def test_the_path_goes_through_practice_then_on_to_the_next_section(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.get("/courses/mini/learn/no-lesson")
    assert "Next: practise Write add" in r.text  # a topic's exercises follow its points
    assert "Would you like me to continue" not in r.text
    r = client.post(
        "/courses/mini/learn/no-lesson/complete",
        data={"csrf_token": csrf(client), "go": "next"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/courses/mini/exercises/add-function"
    page = client.get("/courses/mini/exercises/add-function").text
    assert "Skip for now" in page  # before a pass: skip, not next
    assert "Continue to Section 2" not in page
    r = client.post(
        "/courses/mini/exercises/add-function/check",
        data={"csrf_token": csrf(client), "source": "def add(a, b):\n    return a + b\n"},
    )
    assert "All checks passed" in r.text
    assert "Would you like me to continue to Section 2 (More)?" in r.text
    assert (
        'id="next-link" href="/courses/mini/learn/quiz-point">Continue to Section 2 (More)'
        in r.text
    )


def test_progress_bar_moves_and_resume(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.get("/courses/mini")
    assert 'aria-valuenow="0"' in r.text
    client.get(LESSON)
    token = csrf(client)
    r = client.post(f"{LESSON}/complete", data={"csrf_token": token}, follow_redirects=False)
    assert r.headers["location"] == "/courses/mini/learn/no-lesson"
    page = client.get("/courses/mini").text
    assert 'aria-valuenow="33"' in page  # 1 of 2 points + 1 exercise
    assert "Resume where I left off: A point without a written lesson." in page
    r = client.get("/courses/mini/resume", follow_redirects=False)
    assert r.headers["location"] == "/courses/mini/learn/no-lesson"
    assert 'aria-valuenow="33"' in client.get("/courses/mini/progress").text


def test_anonymous_can_read_but_not_save(client: TestClient) -> None:
    assert client.get(LESSON).status_code == 200
    r = client.post(f"{LESSON}/complete", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login")


def test_offline_question_streams_passages_and_prompt(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.post(
        f"{LESSON}/tutor",
        data={"csrf_token": csrf(client), "action": "ask", "question": "How do floats add?"},
        headers={"accept": "application/x-ndjson"},
    )
    assert r.status_code == 200
    kinds = [json.loads(line)["kind"] for line in r.text.splitlines() if line]
    assert "passages" in kinds
    assert "html" in kinds
    assert "say" in kinds  # the offer to resume
    says = [json.loads(line) for line in r.text.splitlines() if '"say"' in line]
    assert any(s["purpose"] == "resume_offer" for s in says)


def test_question_without_js_comes_back_to_the_lesson_with_the_conversation(
    client: TestClient,
) -> None:
    signup(client, "a@example.org")
    r = client.post(
        f"{LESSON}/tutor",
        data={"csrf_token": csrf(client), "action": "shorter"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"{LESSON}#tutor-h"
    page = client.get(LESSON).text
    assert "needs the AI tutor" in page and "You asked" in page
    assert "Copy the prompt" not in page and "### system" not in page  # not for learners
    other = new_client(client)
    signup(other, "b@example.org")
    assert "needs the AI tutor" not in other.get(LESSON).text  # each learner's own
    r = client.post(f"{LESSON}/tutor/clear", data={"csrf_token": csrf(client)})
    assert r.status_code == 200 and "needs the AI tutor" not in r.text


def test_the_prompt_is_shown_to_instructors_only(client: TestClient) -> None:
    point = "/courses/mini/learn/no-lesson"
    signup(client, "a@example.org")
    page = client.get(point).text
    assert "no written lesson yet" in page and "### system" not in page
    events = client.post(
        f"{point}/tutor",
        data={"csrf_token": csrf(client, point), "action": "deeper"},
        headers={"accept": "application/x-ndjson"},
    ).text
    assert '"prompt"' not in events and "### system" not in events
    teacher = new_client(client)
    signup_instructor(teacher, "t@example.org")
    page = teacher.get(point).text
    assert "only instructors see this" in page and "### system" in page
    events = teacher.post(
        f"{point}/tutor",
        data={"csrf_token": csrf(teacher, point), "action": "deeper"},
        headers={"accept": "application/x-ndjson"},
    ).text
    assert "only instructors see this" in events


def test_a_kept_conversation_shows_on_the_shared_lesson_page_escaped(client: TestClient) -> None:
    signup(client, "a@example.org")
    client.post(
        f"{LESSON}/tutor",
        data={"csrf_token": csrf(client), "action": "ask", "question": "<script>x()</script>"},
    )
    page = client.get(LESSON).text
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and "<script>x()" not in page
    assert "\ue000" not in page  # every marker filled
    anonymous = new_client(client)
    assert "x()" not in anonymous.get(LESSON).text


def test_tutor_state_is_kept_per_learner(client: TestClient) -> None:
    from sqlmodel import Session, select

    from web.models import LearnerStateRow

    signup(client, "a@example.org")
    client.post(f"{LESSON}/tutor", data={"csrf_token": csrf(client), "question": "why plus?"})
    with Session(app_context(client).db_engine) as db:
        rows = db.exec(select(LearnerStateRow)).all()
    assert len(rows) == 1
    assert "why plus?" in rows[0].state_json


def test_other_learner_sees_own_progress_only(client: TestClient) -> None:
    signup(client, "a@example.org")
    client.post(f"{LESSON}/complete", data={"csrf_token": csrf(client)})
    b = new_client(client)
    signup(b, "b@example.org")
    assert 'aria-valuenow="0"' in b.get("/courses/mini/progress").text
    assert "a@example.org" not in b.get("/courses/mini/progress").text


def test_completion_record_when_everything_is_done(client: TestClient) -> None:
    signup(client, "a@example.org")
    token = csrf(client)
    for point in ("plus", "no-lesson", "quiz-point"):
        client.post(f"/courses/mini/learn/{point}/complete", data={"csrf_token": token})
    client.post(
        "/courses/mini/exercises/sum-quiz/quiz", data={"csrf_token": token, "q-two-plus-two": "0"}
    )
    client.post(
        "/courses/mini/exercises/reflect/self-check", data={"csrf_token": token, "rubric": "0"}
    )
    assert "Course completed" not in client.get("/courses/mini/progress").text
    client.post(
        "/courses/mini/exercises/add-function/check",
        data={"csrf_token": token, "source": "def add(a, b):\n    return a + b\n"},
    )
    page = client.get("/courses/mini/progress").text
    assert "Course completed" in page
    assert page.count('aria-valuenow="100"') == 2


def _statements(client: TestClient, path: str) -> list[str]:
    """The SQL statements SQLite runs for one request, traced on every connection the
    app's (real) engine hands out: the hot reads bypass SQLAlchemy's execution events."""
    engine = app_context(client).db_engine
    if engine.dialect.name != "sqlite":
        pytest.skip("statements are traced with SQLite's trace callback")
    seen: list[str] = []

    def trace(dbapi_connection: Any, _record: object, _proxy: object) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    def untrace(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.set_trace_callback(None)

    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
    return seen


def test_lesson_page_reads_session_and_position_in_one_query(client: TestClient) -> None:
    signup(client, "a@example.org")
    moved = _statements(client, LESSON)  # a new point: recorded as opened, position moves
    assert any(s.startswith("INSERT INTO progress_event") for s in moved)
    again = _statements(client, LESSON)  # same point again: one read, no write
    assert len(again) == 1 and again[0].startswith("SELECT")
    assert "a@example.org" in client.get(LESSON).text
    r = client.get("/courses/mini/resume", follow_redirects=False)
    assert r.headers["location"] == LESSON
    client.post("/logout", data={"csrf_token": csrf(client)})
    page = client.get(LESSON).text  # the session is gone: the page is anonymous
    assert "a@example.org" not in page
    assert "Log in" in page


def test_lesson_page_for_an_expired_session_is_anonymous(client: TestClient) -> None:
    signup(client, "a@example.org")
    engine = app_context(client).db_engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE auth_session SET expires_at = '2000-01-01 00:00:00'"))
    assert "a@example.org" not in client.get(LESSON).text


def test_cached_lesson_page_is_filled_in_per_viewer(client: TestClient) -> None:
    from web import pagecache

    signup_instructor(client, "<b>teacher</b>@example.org")  # an instructor
    learner = new_client(client)
    signup(learner, "learner@example.org")
    anonymous = new_client(client)
    teacher_page = client.get(LESSON).text
    learner_page = learner.get(LESSON).text
    learner_again = learner.get(LESSON).text
    anonymous_page = anonymous.get(LESSON).text
    version = app_context(client).courses.get("mini").version  # type: ignore[union-attr]
    lesson_key = ("lesson", "mini", version, "plus", False)  # False: no model configured
    mine = [k for k in pagecache._pages if isinstance(k, tuple) and k[0] == lesson_key]
    assert len(mine) == 3  # one page per role: anonymous, learner, instructor
    assert "&lt;b&gt;teacher&lt;/b&gt;@example.org" in teacher_page  # escaped
    assert 'href="/instructor"' in teacher_page
    assert "learner@example.org" in learner_page and "teacher" not in learner_page
    assert 'href="/instructor"' not in learner_page
    assert learner_again == learner_page
    assert "Log in" in anonymous_page and "@example.org" not in anonymous_page
    assert pagecache.CSRF_MARK not in learner_page + teacher_page + anonymous_page
    # each browser gets its own CSRF token, and it works
    token = csrf(learner, LESSON)
    assert token != csrf(client, LESSON)
    assert f'value="{token}"' in learner_page
    r = learner.post(f"{LESSON}/complete", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
