"""Web app fixtures: a real database (SQLite in a temp data dir; PostgreSQL too when
``TUTOR_TEST_DATABASE_URL`` is set, in a fresh schema per test) and an HTTP client."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from web.app import create_app
from web.context import AppContext, context_of
from web.settings import WebSettings

PG_URL = os.environ.get("TUTOR_TEST_DATABASE_URL")
DB_PARAMS = [pytest.param("sqlite", id="sqlite")]
if PG_URL:
    DB_PARAMS.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    assert PG_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


COURSES = Path(__file__).parent / "courses"


@pytest.fixture(params=DB_PARAMS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> WebSettings:
    data_dir = tmp_path / "data"
    courses = tmp_path / "courses"
    shutil.copytree(COURSES, courses)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_schema_url")
        from web import migrate
        from web.db import make_engine

        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return WebSettings(data_dir=data_dir, database_url=url, courses_dir=courses)
    return WebSettings(data_dir=data_dir, database_url=None, courses_dir=courses)


@pytest.fixture
def client(settings: WebSettings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c
    context_of(app).db_engine.dispose()


def csrf(client: TestClient, path: str = "/") -> str:
    """Load a page and return its CSRF token (the cookie is kept by the client)."""
    match = CSRF_RE.search(client.get(path).text)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def signup(client: TestClient, email: str, password: str = "correct horse 1") -> None:
    token = csrf(client, "/signup")
    r = client.post(
        "/signup",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def signup_instructor(client: TestClient, email: str, password: str = "correct horse 1") -> None:
    """Sign up with the setup token ``tutor serve`` prints: the first instructor."""
    from web.setup import setup_token

    token = csrf(client, "/signup")
    r = client.post(
        "/signup",
        data={
            "email": email,
            "password": password,
            "csrf_token": token,
            "setup_token": setup_token(app_context(client).secret),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def login(client: TestClient, email: str, password: str = "correct horse 1") -> int:
    token = csrf(client, "/login")
    r = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return r.status_code


def new_client(settings_app: TestClient) -> TestClient:
    """A second browser on the same app (own cookies)."""
    return TestClient(settings_app.app, base_url="http://127.0.0.1")


def app_context(client: TestClient) -> AppContext:
    """The application context of the app behind ``client``."""
    assert isinstance(client.app, FastAPI)
    return context_of(client.app)
