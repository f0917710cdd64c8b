"""Accounts: sign up, the setup token, log in/out, cookies, login limits, CSRF."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.web.conftest import app_context, csrf, login, new_client, signup
from tests.web.server import Browser, Server
from web import accounts, passwords
from web.accounts import ATTEMPTS_KEPT, MAX_SIGNUPS_PER_IP
from web.app import create_app
from web.context import context_of
from web.models import AuthSession, LoginAttempt, SignupAttempt, User, utcnow
from web.services import accounts as account_service
from web.settings import WebSettings
from web.setup import setup_token


def test_first_sign_up_is_a_learner_and_the_setup_token_makes_the_instructor(
    client: TestClient,
) -> None:
    page = client.get("/signup").text
    assert 'name="setup_token"' in page  # offered while no instructor exists
    signup(client, "early@example.org")  # an exposed fresh server: the first comer
    assert client.get("/instructor").status_code == 403
    teacher = new_client(client)
    token = csrf(teacher, "/signup")
    form = {"email": "teacher@example.org", "password": "longenough", "csrf_token": token}
    r = teacher.post("/signup", data={**form, "setup_token": "AAAA-BBBB-CCCC-DDDD"})
    assert r.status_code == 400
    assert "setup token is not valid" in r.text
    given = setup_token(app_context(client).secret).lower().replace("-", " ")
    r = teacher.post("/signup", data={**form, "setup_token": given}, follow_redirects=False)
    assert r.headers["location"] == "/?welcome=instructor"
    assert "instructor" in teacher.get("/?welcome=instructor").text
    assert teacher.get("/instructor").status_code == 200
    assert 'name="setup_token"' not in new_client(client).get("/signup").text
    late = new_client(client)  # the token is spent once an instructor exists
    form = {"email": "late@example.org", "password": "longenough", "csrf_token": csrf(late)}
    r = late.post("/signup", data={**form, "setup_token": setup_token(app_context(client).secret)})
    assert r.status_code == 400
    engine = app_context(client).db_engine
    with Session(engine) as db:
        roles = dict(db.exec(select(User.email, User.role)).all())
    assert roles == {"early@example.org": "learner", "teacher@example.org": "instructor"}


def test_tutor_serve_prints_the_setup_token_until_an_instructor_exists(tmp_path: Path) -> None:
    env = {"TUTOR_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    server = Server(env).start()
    try:
        time.sleep(0.5)
        found = re.search(r"setup token ([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})", server.log.read_text())
        assert found, server.log.read_text()
        browser = Browser(server.url)
        r = browser.http.post(
            "/signup",
            data={
                "email": "t@example.org",
                "password": "correct horse 1",
                "setup_token": found.group(1),
                "csrf_token": browser.token(),
            },
        )
        assert r.status_code == 303
        assert browser.http.get("/instructor").status_code == 200
        browser.close()
    finally:
        server.stop()
    server.log.unlink()
    again = Server(env, port=server.port).start()
    again.stop()
    assert "setup token" not in again.log.read_text()


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
    r = other.post(
        "/login",
        data={"email": "a@example.org", "password": "correct horse 1", "csrf_token": csrf(other)},
    )
    assert r.status_code == 429
    assert r.headers["retry-after"] == "900"


def _browser(client: TestClient, ip: str) -> TestClient:
    return TestClient(client.app, base_url="http://127.0.0.1", client=(ip, 5000))


def test_an_attacker_cannot_lock_the_owner_out(client: TestClient) -> None:
    owner = _browser(client, "10.0.0.1")
    signup(owner, "owner@example.org")  # this browser now holds a device cookie
    owner.post("/logout", data={"csrf_token": csrf(owner)})
    same_nat = _browser(client, "10.0.0.1")  # a hostile classmate behind the same address
    for _ in range(8):
        login(same_nat, "owner@example.org", "guess guess")
    assert login(same_nat, "owner@example.org") == 429  # the guesser is stopped
    elsewhere = _browser(client, "10.0.0.2")
    for _ in range(8):
        login(elsewhere, "owner@example.org", "guess guess")
    assert login(elsewhere, "owner@example.org") == 429
    assert login(owner, "owner@example.org") == 303  # the owner's own browser still logs in
    new_laptop = _browser(client, "10.0.0.3")  # and so does a fresh browser elsewhere
    assert login(new_laptop, "owner@example.org") == 303
    forged = _browser(client, "10.0.0.1")
    forged.cookies.set("tutor_device", "nonce.0000")
    assert login(forged, "owner@example.org") == 429  # a forged device cookie is the IP


def test_one_address_cannot_spray_many_accounts(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_IP", 6)
    signup(client, "a@example.org")
    sprayer = _browser(client, "10.0.0.9")
    for i in range(6):
        assert login(sprayer, f"user{i}@example.org", "password1") == 400
    assert login(sprayer, "a@example.org") == 429
    assert login(_browser(client, "10.0.0.8"), "a@example.org") == 303


def test_unknown_emails_check_a_dummy_hash(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same work for unknown and known emails: one argon2 check each (no timing asserts)."""
    checked: list[str] = []
    real = passwords.averify_password

    async def spy(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return await real(password_hash, password)

    monkeypatch.setattr(account_service, "averify_password", spy)
    signup(client, "known@example.org")
    assert login(new_client(client), "nobody@example.org", "some password") == 400
    assert checked == [accounts.dummy_hash()]
    assert login(new_client(client), "known@example.org", "some password") == 400
    assert len(checked) == 2 and checked[1] != checked[0]
    assert checked[1].startswith("$argon2") and checked[0].startswith("$argon2")


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


def test_passwords_are_hashed_on_low_priority_threads() -> None:
    """argon2 runs on the password threads at nice PASSWORD_NICE, read from /proc."""
    import threading

    from web.passwords import PASSWORD_NICE, hash_password, verify_password

    stored = hash_password("a long enough password")
    assert verify_password(stored, "a long enough password")
    assert not verify_password(stored, "another password")
    assert not verify_password("not a hash", "a long enough password")
    threads = [t for t in threading.enumerate() if t.name.startswith("tutor-password")]
    assert threads
    for thread in threads:
        stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        assert int(stat.rsplit(")", 1)[1].split()[16]) == PASSWORD_NICE
    own = Path(f"/proc/self/task/{threading.get_native_id()}/stat").read_text()
    assert int(own.rsplit(")", 1)[1].split()[16]) != PASSWORD_NICE  # the caller keeps its own
