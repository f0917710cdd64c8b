"""Every model call is recorded (``tutor_call``), and instructors, only instructors, read
a learner's tutor conversations and flag replies (pages and JSON API).

The model is the local fake Chat Completions server; the database is real (SQLite, and
PostgreSQL when ``TUTOR_TEST_DATABASE_URL`` is set); exercise help grades in the sandbox.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from curriculum.model import CodeExercise, source_text
from exercises.verdict import Verdict
from tests.tutor.fake_openai import FakeOpenAI
from tests.tutor.personalities import PERSONALITIES
from tests.web.conftest import (
    app_context,
    csrf,
    login,
    new_client,
    signup,
    signup_instructor,
)
from tests.web.server import Browser, Server
from tutor.help import HelpReply, HelpRequest
from web.app import create_app
from web.context import context_of
from web.db import make_engine
from web.models import TutorCall, TutorFlag, User
from web.settings import WebSettings

POINT = "/courses/mini/learn/plus"


@dataclass
class Served:
    client: TestClient
    fake: FakeOpenAI


@pytest.fixture
def served(settings: WebSettings) -> Iterator[Served]:
    with FakeOpenAI() as fake:
        configured = settings.model_copy(update={"model": "fake", "openai_base_url": fake.base_url})
        app = create_app(configured)
        with TestClient(app, base_url="http://127.0.0.1") as c:
            yield Served(c, fake)
        context_of(app).db_engine.dispose()


def _user_id(client: TestClient, email: str) -> int:
    with Session(app_context(client).db_engine) as db:
        uid = db.exec(select(User.id).where(User.email == email)).one()
    assert uid is not None
    return uid


def _calls(client: TestClient) -> list[TutorCall]:
    with Session(app_context(client).db_engine) as db:
        return list(db.exec(select(TutorCall).order_by(col(TutorCall.id))).all())


def _ask(client: TestClient, question: str, point: str = POINT) -> str:
    r = client.post(
        f"{point}/tutor",
        data={"csrf_token": csrf(client, point), "action": "ask", "question": question},
        headers={"accept": "application/x-ndjson"},
    )
    assert r.status_code == 200
    events = [json.loads(line) for line in r.text.splitlines() if line]
    return "".join(e["text"] for e in events if e["kind"] == "delta")


def _sha(body: dict[str, object]) -> str:
    messages = body["messages"]
    assert isinstance(messages, list)
    pairs = [[m["role"], m["content"]] for m in messages]
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()


def test_a_question_on_a_lesson_page_is_recorded(served: Served) -> None:
    client, fake = served.client, served.fake
    signup(client, "a@example.org")
    assert "Your instructors can read it." in client.get(POINT).text  # the learner is told
    shown = _ask(client, "Why add <b>numbers</b>?")
    [call] = _calls(client)
    assert call.user_id == _user_id(client, "a@example.org")
    assert (call.course_id, call.target_kind, call.target_id) == ("mini", "point", "plus")
    assert call.question == "Why add <b>numbers</b>?"
    assert call.reply == shown and shown
    assert call.model == "fake"
    assert call.prompt_tokens > 0 and call.completion_tokens > 0
    assert call.latency_ms >= 0
    assert call.guard == "not_applicable"
    assert call.prompt_hash == _sha(fake.requests[-1].body)


def test_clearing_the_conversation_keeps_the_record(served: Served) -> None:
    """The learner's kept conversation is theirs to clear; the record of the model calls
    is the instructors' and stays."""
    client = served.client
    signup(client, "a@example.org")
    _ask(client, "Why add?")
    assert "Why add?" in client.get(POINT).text  # the conversation, kept and shown
    r = client.post(f"{POINT}/tutor/clear", data={"csrf_token": csrf(client, POINT)})
    assert r.status_code == 200  # redirected back to the lesson
    assert "Why add?" not in client.get(POINT).text
    assert [c.question for c in _calls(client)] == ["Why add?"]


def _help(client: TestClient, learner: int, exercise_id: str) -> HelpReply:
    """Help through the web app's engine: its model, its limits, its call log."""
    context = app_context(client)
    entry = context.courses.get("python-backend")
    assert entry is not None and entry.course is not None
    course = entry.course
    ref = course.outline.exercise(exercise_id)
    assert ref is not None and isinstance(ref.exercise, CodeExercise)
    exercise = ref.exercise
    grader = context.grading.grader

    async def grade(ex: CodeExercise, source: str) -> Verdict:
        return await grader.agrade(ex, source)

    request = HelpRequest(
        course=course,
        exercise=exercise,
        source=source_text(exercise.starter),
        level=len(exercise.hints),
        question="Just give me the code.",
    )

    async def run() -> HelpReply:
        return await context.tutor.help(request, grade=grade, learner=str(learner))

    assert client.portal is not None
    return client.portal.call(run)


@pytest.mark.slow
def test_exercise_help_records_what_the_guard_did(served: Served) -> None:
    client, fake = served.client, served.fake
    signup(client, "a@example.org")
    uid = _user_id(client, "a@example.org")
    exercise = "ttl-cache-aside"
    course = app_context(client).courses.get("python-backend")
    assert course is not None and course.course is not None
    ref = course.course.outline.exercise(exercise)
    assert ref is not None and isinstance(ref.exercise, CodeExercise)
    fake.respond = PERSONALITIES["leaky-verbatim"].respond(ref.exercise)
    withheld = _help(client, uid, exercise)
    assert withheld.kind == "withheld"
    fake.respond = PERSONALITIES["well-behaved"].respond(ref.exercise)
    helped = _help(client, uid, exercise)
    assert helped.kind == "model"
    calls = _calls(client)
    assert [c.guard for c in calls] == ["held_retried", "replaced", "passed"]
    assert [(c.target_kind, c.target_id, c.course_id) for c in calls] == [
        ("exercise", exercise, "python-backend")
    ] * 3
    assert calls[0].reply == ""  # held back: the learner saw nothing of it
    assert calls[1].reply == withheld.text  # the authored hint and the note
    assert calls[2].reply == helped.text
    assert all(c.question == "Just give me the code." for c in calls)
    assert [c.prompt_hash for c in calls] == [_sha(r.body) for r in fake.requests]
    assert source_text(ref.exercise.solution) not in "".join(c.reply for c in calls)


@pytest.mark.slow
def test_the_help_control_records_held_replies_for_the_instructor(served: Served) -> None:
    """Help on an exercise page, through the web route, against a leaky model."""
    client, fake = served.client, served.fake
    signup(client, "a@example.org")
    entry = app_context(client).courses.get("python-backend")
    assert entry is not None and entry.course is not None
    ref = entry.course.outline.exercise("ttl-cache-aside")
    assert ref is not None and isinstance(ref.exercise, CodeExercise)
    exercise = ref.exercise
    fake.respond = PERSONALITIES["leaky-verbatim"].respond(exercise)
    page = f"/courses/python-backend/exercises/{exercise.id}"
    form = {"source": source_text(exercise.starter), "question": "The code, please."}
    shown = ""
    for _ in range(len(exercise.hints) + 1):  # the authored hints, then the model
        r = client.post(
            f"{page}/help",
            data={"csrf_token": csrf(client, page), **form},
            headers={"accept": "application/x-ndjson"},
        )
        assert r.status_code == 200, r.text
        shown += r.text
    calls = _calls(client)
    assert [c.guard for c in calls] == ["held_retried", "replaced"]
    assert {(c.course_id, c.target_kind, c.target_id) for c in calls} == {
        ("python-backend", "exercise", exercise.id)
    }
    assert "class TTLCache" in fake.requests[0].body["messages"][-1]["content"]  # the starter
    assert "self._entries.pop(key, None)" not in shown  # the reference never reached them
    assert calls[1].reply and "self._entries.pop(key, None)" not in calls[1].reply
    teacher = new_client(client)
    signup_instructor(teacher, "teacher@example.org")
    learner = teacher.get(f"/instructor/learners/{calls[0].user_id}").text
    assert "held back, asked again" in learner
    assert "held back, replaced by an authored hint" in learner


def _conversation_setup(served: Served) -> tuple[TestClient, TestClient, TestClient, int, int]:
    """An instructor and two learners who each asked the tutor something.

    The questions go through the served client (the model's connections belong to the
    app's event loop); the other browsers log in on their own clients."""
    asker = served.client
    signup(asker, "ann@example.org")
    _ask(asker, "Ann's <script>alert(1)</script> question")
    asker.cookies.clear()
    signup(asker, "bob@example.org")
    _ask(asker, "Bob's private question")
    teacher, ann, bob = new_client(asker), new_client(asker), new_client(asker)
    signup_instructor(teacher, "teacher@example.org")
    assert login(ann, "ann@example.org") == 303
    assert login(bob, "bob@example.org") == 303
    return (
        teacher,
        ann,
        bob,
        _user_id(teacher, "ann@example.org"),
        _user_id(teacher, "bob@example.org"),
    )


def test_instructor_reads_and_flags_a_learners_conversation(served: Served) -> None:
    teacher, _, _, ann_id, _ = _conversation_setup(served)
    page = teacher.get(f"/instructor/learners/{ann_id}").text
    assert "Conversations with the tutor" in page
    assert "Ann&#39;s &lt;script&gt;alert(1)&lt;/script&gt; question" in page  # escaped
    assert "<script>alert(1)" not in page
    assert "Bob&#39;s private question" not in page
    assert "guard: <strong>not applicable</strong>" in page
    call_id = int(re.findall(r'id="call-(\d+)"', page)[0])
    r = teacher.post(
        f"/instructor/tutor-calls/{call_id}/flag",
        data={"csrf_token": csrf(teacher), "note": "Too <i>vague</i>"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/instructor/learners/{ann_id}#call-{call_id}"
    page = teacher.get(f"/instructor/learners/{ann_id}").text
    assert "Flagged</strong>: Too &lt;i&gt;vague&lt;/i&gt;" in page
    flags = teacher.get("/instructor/flags").text
    assert "ann@example.org" in flags and "Too &lt;i&gt;vague&lt;/i&gt;" in flags
    assert "Bob&#39;s" not in flags
    with Session(app_context(teacher).db_engine) as db:
        [flag] = db.exec(select(TutorFlag)).all()
    assert (flag.call_id, flag.note) == (call_id, "Too <i>vague</i>")
    assert flag.instructor_id == _user_id(teacher, "teacher@example.org")
    r = teacher.post(
        f"/instructor/tutor-calls/{call_id}/unflag",
        data={"csrf_token": csrf(teacher)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "No flagged replies." in teacher.get("/instructor/flags").text
    missing = teacher.post(
        "/instructor/tutor-calls/99999/flag", data={"csrf_token": csrf(teacher), "note": ""}
    )
    assert missing.status_code == 404
    too_long = teacher.post(
        f"/instructor/tutor-calls/{call_id}/flag",
        data={"csrf_token": csrf(teacher), "note": "x" * 2001},
    )
    assert too_long.status_code in (400, 422)


def test_the_api_gives_conversations_and_flags_to_instructors(served: Served) -> None:
    teacher, _, _, ann_id, bob_id = _conversation_setup(served)
    [conv] = teacher.get(f"/api/instructor/learners/{ann_id}/tutor").json()
    assert (conv["course_id"], conv["target_kind"], conv["target_id"]) == ("mini", "point", "plus")
    [exchange] = conv["exchanges"]
    call = exchange["call"]
    assert call["question"] == "Ann's <script>alert(1)</script> question"
    assert call["reply"] and call["guard"] == "not_applicable" and exchange["flag"] is None
    assert len(call["prompt_hash"]) == 64 and call["model"] == "fake"
    headers = {"X-CSRF-Token": csrf(teacher)}
    url = f"/api/instructor/tutor-calls/{call['id']}/flag"
    r = teacher.put(url, json={"note": "check this"}, headers=headers)
    assert r.status_code == 200 and r.json()["flag"]["note"] == "check this"
    r = teacher.put(url, json={"note": "checked again"}, headers=headers)
    assert r.json()["flag"]["note"] == "checked again"  # one flag per reply, note replaced
    [flagged] = teacher.get("/api/instructor/tutor-flags").json()
    assert flagged["learner_email"] == "ann@example.org"
    assert flagged["call"]["id"] == call["id"] and flagged["flag"]["note"] == "checked again"
    assert teacher.put(url, headers=headers).status_code == 200  # no body: an empty note
    assert teacher.put(url, json={"note": "x" * 2001}, headers=headers).status_code == 422
    assert teacher.delete(url, headers=headers).status_code == 204
    assert teacher.get("/api/instructor/tutor-flags").json() == []
    assert teacher.put("/api/instructor/tutor-calls/0/flag", headers=headers).status_code == 404
    assert teacher.get("/api/instructor/learners/abc/tutor").status_code == 404
    [bobs] = teacher.get(f"/api/instructor/learners/{bob_id}/tutor").json()
    assert bobs["exchanges"][0]["call"]["question"] == "Bob's private question"
    assert (
        "/api/instructor/learners/{user_id}/tutor" in teacher.get("/openapi.json").json()["paths"]
    )


def test_a_learner_cannot_read_another_learners_conversation(served: Served) -> None:
    teacher, ann, bob, ann_id, bob_id = _conversation_setup(served)
    call_id = _calls(teacher)[0].id
    for reader, other in ((ann, bob_id), (bob, ann_id)):
        for own_or_other in (other, ann_id if other == bob_id else bob_id):
            assert reader.get(f"/instructor/learners/{own_or_other}").status_code == 403
            api = reader.get(f"/api/instructor/learners/{own_or_other}/tutor")
            assert api.status_code == 403
            assert "question" not in api.text
        assert reader.get("/instructor/flags").status_code == 403
        assert reader.get("/api/instructor/tutor-flags").status_code == 403
        headers = {"X-CSRF-Token": csrf(reader)}
        flag_url = f"/api/instructor/tutor-calls/{call_id}/flag"
        assert reader.put(flag_url, json={"note": "x"}, headers=headers).status_code == 403
        assert reader.delete(flag_url, headers=headers).status_code == 403
        form = reader.post(
            f"/instructor/tutor-calls/{call_id}/flag", data={"csrf_token": csrf(reader)}
        )
        assert form.status_code == 403
    with Session(app_context(teacher).db_engine) as db:
        assert db.exec(select(TutorFlag)).all() == []
    anonymous = new_client(teacher)
    assert anonymous.get(f"/api/instructor/learners/{ann_id}/tutor").status_code == 401


@pytest.mark.slow
def test_a_call_the_learner_leaves_mid_reply_is_recorded(tmp_path: Path) -> None:
    """A real server; the model stalls after a few chunks and the learner goes away."""
    with FakeOpenAI() as fake:
        fake.stall_s = 3.0
        data = tmp_path / "data"
        env = {
            "TUTOR_DATA_DIR": str(data),
            "DATABASE_URL": "",
            "TUTOR_COURSES_DIR": "",
            "TUTOR_MODEL": "fake-stall",
            "OPENAI_BASE_URL": fake.base_url,
            "OPENAI_API_KEY": "x",
        }
        server = Server(env).start()
        browser = Browser(server.url)
        try:
            browser.signup("leaver@example.org")
            point = "/courses/python-backend/learn/modern-async-framework/tutor"
            form = {"csrf_token": browser.token(), "action": "ask", "question": "Why?"}
            headers = {"accept": "application/x-ndjson"}
            with browser.http.stream("POST", point, data=form, headers=headers) as r:
                first = json.loads(next(r.iter_lines()))
                assert first["kind"] == "delta"
            engine = make_engine(f"sqlite:///{data / 'tutor.sqlite3'}")
            deadline = time.monotonic() + 20
            calls: list[TutorCall] = []
            while not calls and time.monotonic() < deadline:
                with Session(engine) as db:
                    calls = list(db.exec(select(TutorCall)).all())
                time.sleep(0.1)
            engine.dispose()
            [call] = calls
            assert (call.question, call.model, call.target_id) == (
                "Why?",
                "fake-stall",
                "modern-async-framework",
            )
            assert call.reply.startswith(str(first["text"]))  # what was shown so far
        finally:
            browser.close()
            server.stop()
