"""Instructor-issued one-time password reset links: page and API, once only, expiry,
sessions ended, learners and other roles refused."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, login, new_client, signup, signup_instructor
from web.models import PasswordReset, User, utcnow


def _uid(client: TestClient, email: str) -> int:
    with Session(app_context(client).db_engine) as db:
        uid = db.exec(select(User.id).where(User.email == email)).one()
    assert uid is not None
    return uid


def test_reset_link_from_the_learner_page(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "forgot@example.org")
    uid = _uid(client, "forgot@example.org")
    page = client.get(f"/instructor/learners/{uid}").text
    assert "Make a password reset link" in page
    r = client.post(f"/instructor/learners/{uid}/reset-link", data={"csrf_token": csrf(client)})
    assert r.status_code == 200
    found = re.search(r'id="reset-url" value="http://127\.0\.0\.1(/reset/[^"]+)"', r.text)
    assert found
    path = found.group(1)
    stranger = new_client(client)
    assert "forgot@example.org" in stranger.get(path).text
    r = stranger.post(path, data={"csrf_token": csrf(stranger, path), "password": "short"})
    assert r.status_code == 400 and "8 to 200" in r.text  # the link stays usable
    r = stranger.post(
        path, data={"csrf_token": csrf(stranger, path), "password": "a new password 2"}
    )
    assert r.status_code == 200 and "was changed" in r.text
    assert learner.get("/progress", follow_redirects=False).status_code == 303  # sessions ended
    assert login(new_client(client), "forgot@example.org", "a new password 2") == 303
    assert login(new_client(client), "forgot@example.org") != 303  # the old one is gone
    again = stranger.post(
        path, data={"csrf_token": csrf(stranger, "/"), "password": "third password 3"}
    )
    assert again.status_code == 400  # once only
    assert stranger.get(path).status_code == 400


def test_reset_link_api_and_who_may_use_it(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "l@example.org")
    uid = _uid(client, "l@example.org")
    teacher_id = _uid(client, "teacher@example.org")
    token = {"X-CSRF-Token": str(client.get("/api/csrf").json()["token"])}
    r = client.post(f"/api/instructor/learners/{uid}/reset-link", headers=token)
    assert r.status_code == 201 and set(r.json()) == {"url", "expires_at"}
    own = {"X-CSRF-Token": str(learner.get("/api/csrf").json()["token"])}
    assert (
        learner.post(f"/api/instructor/learners/{uid}/reset-link", headers=own).status_code == 403
    )
    assert (
        client.post(f"/api/instructor/learners/{teacher_id}/reset-link", headers=token).status_code
        == 400
    )
    assert (
        client.post("/api/instructor/learners/99999/reset-link", headers=token).status_code == 404
    )
    assert client.post("/api/instructor/learners/x/reset-link", headers=token).status_code == 404
    assert client.get("/reset/not-a-token").status_code == 400
    assert client.get("/reset/" + "x" * 300).status_code == 400
    # an expired link is refused
    path = r.json()["url"].replace("http://127.0.0.1", "")
    with Session(app_context(client).db_engine) as db:
        for reset in db.exec(select(PasswordReset)).all():
            reset.expires_at = utcnow() - timedelta(minutes=1)
            db.add(reset)
        db.commit()
    assert client.get(path).status_code == 400
