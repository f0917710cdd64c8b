"""Accounts: sign up, first account is instructor, log in/out, cookies, rate limit, CSRF."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, login, new_client, signup
from web.accounts import ATTEMPTS_KEPT, MAX_SIGNUPS_PER_IP
from web.app import create_app
from web.context import context_of
from web.models import AuthSession, LoginAttempt, SignupAttempt, User, utcnow
from web.settings import WebSettings


def test_first_account_is_instructor_with_notice(client: TestClient) -> None:
    token = csrf(client, "/signup")
    r = client.post(
        "/signup",
        data={"email": "Teacher@Example.org", "password": "longenough", "csrf_token": token},
    )
    assert r.status_code == 200
    assert "first of this installation" in r.text
    assert client.get("/instructor").status_code == 200
    other = new_client(client)
    signup(other, "learner@example.org")
    assert other.get("/instructor").status_code == 403


def test_session_cookie_flags(client: TestClient) -> None:
    token = csrf(client, "/signup")
    r = client.post(
        "/signup",
        data={"email": "a@example.org", "password": "longenough", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"]
    assert "tutor_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie


def test_secure_cookie_over_https(settings: object) -> None:
    app = create_app(settings)  # type: ignore[arg-type]
    with TestClient(app, base_url="https://127.0.0.1") as c:
        token = csrf(c, "/signup")
        r = c.post(
            "/signup",
            data={"email": "s@example.org", "password": "longenough", "csrf_token": token},
            follow_redirects=False,
        )
        assert "Secure" in r.headers["set-cookie"]
    context_of(app).db_engine.dispose()


def test_login_logout_and_wrong_password(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.get("/progress")
    assert r.status_code == 200
    token = csrf(client)
    client.post("/logout", data={"csrf_token": token})
    r = client.get("/progress", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    assert login(client, "a@example.org", "wrong password") == 400
    assert login(client, "A@example.org") == 303
    assert client.get("/progress").status_code == 200


def test_duplicate_and_invalid_signup(client: TestClient) -> None:
    signup(client, "a@example.org")
    other = new_client(client)
    token = csrf(other, "/signup")
    r = other.post(
        "/signup", data={"email": "a@example.org", "password": "longenough", "csrf_token": token}
    )
    assert r.status_code == 400
    assert "already exists" in r.text
    r = other.post("/signup", data={"email": "nope", "password": "short", "csrf_token": token})
    assert r.status_code == 400
    assert "valid email" in r.text


def test_login_is_rate_limited(client: TestClient) -> None:
    signup(client, "a@example.org")
    other = new_client(client)
    for _ in range(5):
        assert login(other, "a@example.org", "wrong password") == 400
    assert login(other, "a@example.org") == 429


def test_signup_is_rate_limited_per_ip_across_workers(settings: WebSettings) -> None:
    first, second = create_app(settings), create_app(settings)  # two workers, one database
    a = TestClient(first, base_url="http://127.0.0.1", client=("10.0.0.1", 5000))
    b = TestClient(second, base_url="http://127.0.0.1", client=("10.0.0.1", 5001))
    elsewhere = TestClient(second, base_url="http://127.0.0.1", client=("10.0.0.2", 5000))
    with a, b, elsewhere:
        token = csrf(a, "/signup")
        for i in range(MAX_SIGNUPS_PER_IP):
            bad = {"email": f"nope{i}", "password": "longenough", "csrf_token": token}
            assert a.post("/signup", data=bad).status_code == 400
        good = {"email": "b@example.org", "password": "longenough", "csrf_token": csrf(b)}
        r = b.post("/signup", data=good, follow_redirects=False)
        assert r.status_code == 429  # the other worker sees the same count
        assert "Too many sign-ups from your network" in r.text
        signup(elsewhere, "c@example.org")  # another address is not affected
    for app in (first, second):
        context_of(app).db_engine.dispose()


def test_csrf_missing_or_wrong_is_403(client: TestClient) -> None:
    csrf(client, "/signup")
    r = client.post("/signup", data={"email": "a@example.org", "password": "longenough"})
    assert r.status_code == 403
    assert "CSRF" in r.text
    r = client.post(
        "/signup", data={"email": "a@example.org", "password": "longenough", "csrf_token": "x.y"}
    )
    assert r.status_code == 403


def test_forged_csrf_cookie_is_refused(client: TestClient) -> None:
    client.cookies.set("tutor_csrf", "attacker.0000")
    r = client.post(
        "/signup",
        data={"email": "a@example.org", "password": "longenough", "csrf_token": "attacker.0000"},
    )
    assert r.status_code == 403


def test_next_parameter_stays_on_site(client: TestClient) -> None:
    signup(client, "a@example.org")
    client.post("/logout", data={"csrf_token": csrf(client)})
    token = csrf(client, "/login")
    r = client.post(
        "/login",
        data={
            "email": "a@example.org",
            "password": "correct horse 1",
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_old_tries_and_expired_sessions_are_deleted(client: TestClient) -> None:
    engine = app_context(client).db_engine
    long_ago = utcnow() - ATTEMPTS_KEPT - timedelta(minutes=1)
    with Session(engine) as db:
        db.add(LoginAttempt(email="old@example.org", ip="10.0.0.1", created_at=long_ago))
        db.add(SignupAttempt(ip="10.0.0.1", created_at=long_ago))
        db.commit()
    signup(client, "a@example.org")
    with Session(engine) as db:
        user = db.exec(select(User)).one()
        assert user.id is not None
        db.add(AuthSession(id="x" * 64, user_id=user.id, expires_at=utcnow()))
        db.commit()
    login(client, "a@example.org")
    with Session(engine) as db:
        assert db.exec(select(SignupAttempt.ip)).all() == ["testclient"]
        assert db.exec(select(LoginAttempt.email)).all() == ["a@example.org"]
        sessions = db.exec(select(AuthSession.id)).all()
        assert len(sessions) == 2
        assert "x" * 64 not in sessions
