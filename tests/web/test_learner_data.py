"""Accounts without a shell: an instructor exports a learner's data as JSON and deletes
the learner with all of it (on SQLite and PostgreSQL); learners cannot."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col

from tests.web.conftest import app_context, csrf, new_client, signup, signup_instructor
from web.models import Attempt, TutorCall, TutorFlag, User

CODE = "/courses/mini/exercises/add-function"
LESSON = "/courses/mini/learn/plus"
WRONG = "def add(a, b):\n    return a - b  # mine\n"


def _learner_with_data(client: TestClient) -> tuple[TestClient, int]:
    """A learner who read a point, checked code, saved a draft, asked the tutor, answered
    a quiz, and got a tutor reply flagged by the instructor."""
    learner = new_client(client)
    signup(learner, "gone@example.org")
    learner.post(f"{LESSON}/complete", data={"csrf_token": csrf(learner)})
    learner.post(f"{CODE}/check", data={"csrf_token": csrf(learner, CODE), "source": WRONG})
    learner.post(
        f"{CODE}/draft",
        data={"csrf_token": csrf(learner, CODE), "source": "# draft\n"},
        headers={"x-tutor-draft": "1"},
    )
    learner.post(f"{LESSON}/tutor", data={"csrf_token": csrf(learner), "question": "why plus?"})
    engine = app_context(client).db_engine
    with Session(engine) as db:
        uid = db.execute(
            select(col(User.id)).where(col(User.email) == "gone@example.org")
        ).scalar_one()
        teacher = db.execute(
            select(col(User.id)).where(col(User.role) == "instructor")
        ).scalar_one()
        db.add(
            Attempt(
                user_id=uid,
                course_id="mini",
                exercise_id="sum-quiz",
                kind="quiz",
                submission='{"answers": [1]}',
            )
        )
        call = TutorCall(
            user_id=uid,
            course_id="mini",
            target_kind="point",
            target_id="plus",
            model="m",
            guard="passed",
            prompt_hash="h",
            question="why plus?",
            reply="because",
        )
        db.add(call)
        db.flush()
        assert call.id is not None
        db.add(TutorFlag(call_id=call.id, instructor_id=teacher, note="look"))
        db.commit()
    return learner, uid


def _rows_of(client: TestClient, uid: int) -> dict[str, int]:
    """Rows referencing the user, per table with a foreign key to user.id (all of them)."""
    counts = {}
    with Session(app_context(client).db_engine) as db:
        for table in SQLModel.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name == "user":
                    n = db.execute(
                        select(func.count()).select_from(table).where(fk.parent == uid)
                    ).scalar_one()
                    counts[f"{table.name}.{fk.parent.name}"] = n
        counts["user"] = db.execute(
            select(func.count()).select_from(User).where(User.id == uid)  # type: ignore[arg-type]
        ).scalar_one()
        counts["tutor_flag"] = db.execute(select(func.count()).select_from(TutorFlag)).scalar_one()
    return counts


def test_export_holds_progress_attempts_drafts_and_conversations(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    _, uid = _learner_with_data(client)
    page = client.get(f"/instructor/learners/{uid}").text
    assert f'href="/instructor/learners/{uid}/export.json"' in page
    r = client.get(f"/instructor/learners/{uid}/export.json")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["learner"]["email"] == "gone@example.org"
    tables = data["tables"]
    assert any(row["target_id"] == "plus" for row in tables["progress_event"])
    subs = [a["submission"] for a in tables["attempt"]]
    assert WRONG in subs and '{"answers": [1]}' in subs  # code and quiz answers
    assert tables["exercise_draft"][0]["source"] == "# draft\n"
    assert tables["tutor_conversation"][0]["messages_json"][0]["text"] == "why plus?"
    assert tables["tutor_call"][0]["reply"] == "because"
    assert "auth_session" not in tables and "password_hash" not in r.text


def test_delete_asks_to_confirm_then_leaves_nothing_of_the_learner(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner, uid = _learner_with_data(client)
    before = _rows_of(client, uid)
    for key in (
        "progress_event.user_id",
        "attempt.user_id",
        "exercise_draft.user_id",
        "tutor_conversation.user_id",
        "tutor_call.user_id",
        "auth_session.user_id",
    ):
        assert before[key] > 0, key  # the test would see anything left behind
    assert before["tutor_flag"] == 1
    confirm = client.get(f"/instructor/learners/{uid}/delete").text
    assert "gone@example.org" in confirm and 'name="confirm_email"' in confirm
    wrong = client.post(
        f"/instructor/learners/{uid}/delete",
        data={"csrf_token": csrf(client), "confirm_email": "other@example.org"},
    )
    assert wrong.status_code == 400
    assert _rows_of(client, uid) == before  # nothing deleted without the confirmation
    r = client.post(
        f"/instructor/learners/{uid}/delete",
        data={"csrf_token": csrf(client), "confirm_email": "Gone@example.org"},
    )
    assert r.status_code == 200 and "were deleted" in r.text
    assert all(n == 0 for n in _rows_of(client, uid).values()), _rows_of(client, uid)
    assert learner.get("/progress").status_code in (303, 401, 200)
    assert "gone@example.org" not in learner.get("/").text  # the session is gone too
    assert client.get(f"/instructor/learners/{uid}").status_code == 404


def test_instructors_are_not_deleted_and_learners_cannot_use_these(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    _, uid = _learner_with_data(client)
    with Session(app_context(client).db_engine) as db:
        teacher = db.execute(
            select(col(User.id)).where(col(User.role) == "instructor")
        ).scalar_one()
    r = client.post(
        f"/instructor/learners/{teacher}/delete",
        data={"csrf_token": csrf(client), "confirm_email": "teacher@example.org"},
    )
    assert r.status_code == 404
    assert client.get(f"/instructor/learners/{teacher}/export.json").status_code == 404
    other = new_client(client)
    signup(other, "nosy@example.org")
    token = csrf(other)
    assert other.get(f"/instructor/learners/{uid}/export.json").status_code == 403
    assert other.get(f"/instructor/learners/{uid}/delete").status_code == 403
    r = other.post(
        f"/instructor/learners/{uid}/delete",
        data={"csrf_token": token, "confirm_email": "gone@example.org"},
    )
    assert r.status_code == 403
    no_csrf = client.post(
        f"/instructor/learners/{uid}/delete", data={"confirm_email": "gone@example.org"}
    )
    assert no_csrf.status_code == 403
    for bad in ("0", "-1", "x", "9" * 40):
        assert client.get(f"/instructor/learners/{bad}/export.json").status_code == 404
    assert _rows_of(client, uid)["user"] == 1


def test_the_json_api_exports_and_deletes_with_the_same_authorization(
    client: TestClient,
) -> None:
    signup_instructor(client, "teacher@example.org")
    learner, uid = _learner_with_data(client)
    token = client.get("/api/csrf").json()["token"]
    learner_token = learner.get("/api/csrf").json()["token"]
    assert learner.get(f"/api/instructor/learners/{uid}/export").status_code == 403
    r = learner.delete(f"/api/instructor/learners/{uid}", headers={"x-csrf-token": learner_token})
    assert r.status_code == 403
    data = client.get(f"/api/instructor/learners/{uid}/export").json()
    assert data["learner"]["email"] == "gone@example.org" and data["tables"]["attempt"]
    assert client.delete(f"/api/instructor/learners/{uid}").status_code == 403  # no CSRF
    r = client.delete(f"/api/instructor/learners/{uid}", headers={"x-csrf-token": token})
    assert r.status_code == 204
    assert all(n == 0 for n in _rows_of(client, uid).values())
    r = client.delete(f"/api/instructor/learners/{uid}", headers={"x-csrf-token": token})
    assert r.status_code == 404
    assert "/api/instructor/learners/{user_id}/export" in client.get("/openapi.json").text
