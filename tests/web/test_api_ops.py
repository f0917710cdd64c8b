"""JSON API, errors rendered in one place, health, readiness, metrics, request ids."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from tests.web.conftest import app_context, new_client, signup, signup_instructor
from web.observe import JsonFormatter


def _token(client: TestClient) -> str:
    return str(client.get("/api/csrf").json()["token"])


def test_api_requires_login_with_json_401(client: TestClient) -> None:
    r = client.get("/api/me")
    assert r.status_code == 401
    assert r.json() == {"detail": "Log in first."}


def test_api_404_is_json_and_page_404_is_html(client: TestClient) -> None:
    r = client.get("/api/courses/nope")
    assert r.status_code == 404
    assert r.json()["detail"] == "No such course."
    r = client.get("/courses/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "<h1>Not found</h1>" in r.text


def test_api_validation_error_is_json_422(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.post(
        "/api/courses/mini/progress",
        json={"kind": "bogus"},
        headers={"x-csrf-token": _token(client)},
    )
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], list)


def test_api_progress_and_quiz_roundtrip(client: TestClient) -> None:
    signup(client, "a@example.org")
    token = _token(client)
    r = client.post(
        "/api/courses/mini/progress",
        json={"kind": "completed", "point_id": "plus"},
        headers={"x-csrf-token": token},
    )
    assert r.status_code == 201
    assert r.json()["sections"][0]["done"] == 1
    r = client.post(
        "/api/courses/mini/exercises/sum-quiz/quiz",
        json={"answers": {"two-plus-two": 0}},
        headers={"x-csrf-token": token},
    )
    assert r.status_code == 201
    assert r.json()["passed"] is True
    attempts = client.get("/api/courses/mini/attempts").json()
    assert [a["exercise_id"] for a in attempts] == ["sum-quiz"]
    assert json.loads(attempts[0]["verdict_json"])["score"] == 1


def test_api_post_without_csrf_header_is_403(client: TestClient) -> None:
    signup(client, "a@example.org")
    r = client.post("/api/courses/mini/progress", json={"kind": "completed", "point_id": "plus"})
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]


def test_learner_cannot_use_instructor_api(client: TestClient) -> None:
    signup_instructor(client, "teacher@example.org")
    learner = new_client(client)
    signup(learner, "l@example.org")
    learner.post(
        "/api/courses/mini/progress",
        json={"kind": "completed", "point_id": "plus"},
        headers={"x-csrf-token": _token(learner)},
    )
    assert learner.get("/api/instructor/courses/mini/learners").status_code == 403
    rows = client.get("/api/instructor/courses/mini/learners").json()
    assert [r["email"] for r in rows] == ["l@example.org"]


def test_health_ready_metrics_and_request_id(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "ok"
    r = client.get("/", headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    assert len(client.get("/").headers["x-request-id"]) == 32
    local = TestClient(client.app, base_url="http://127.0.0.1", client=("127.0.0.1", 5000))
    assert "tutor_http_requests_total" in local.get("/metrics").text


def test_readyz_reports_pending_migrations(client: TestClient) -> None:
    from sqlalchemy import text

    with app_context(client).db_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["database"] == "migrations pending"


def test_unexpected_error_renders_500_without_traceback(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy import text

    signup(client, "a@example.org")
    with app_context(client).db_engine.begin() as conn:
        conn.execute(text("DROP TABLE progress_event"))
    with TestClient(client.app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        c.cookies.update(client.cookies)
        with caplog.at_level(logging.ERROR):
            page = c.get("/courses/mini")
            api = c.get("/api/courses/mini/progress")
    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "Traceback" not in page.text
    assert api.status_code == 500
    assert api.json() == {"detail": "Something went wrong on our side."}


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/courses/{course_id}/progress" in spec["paths"]
    assert "/courses/{course_id}" not in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_error_pages_keep_the_account_menu(client: TestClient) -> None:
    signup(client, "a@example.org")
    page = client.get("/no/such/page").text
    assert "a@example.org" in page
    assert "Log out" in page


def test_each_request_is_counted_and_logged_as_json(client: TestClient) -> None:
    route = "/courses/{course_id}/learn/{point_id}"

    def count(status: str) -> float:
        labels = {"method": "GET", "route": route, "status": status}
        return REGISTRY.get_sample_value("tutor_http_requests_total", labels) or 0.0

    ok, missing = count("200"), count("404")
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("web.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        for _ in range(3):
            client.get("/courses/mini/learn/plus", headers={"x-request-id": "req-1"})
        client.get("/courses/mini/learn/nope")
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert count("200") == ok + 3
    assert count("404") == missing + 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["status"] for line in lines] == [200, 200, 200, 404]
    first = lines[0]
    assert first["request_id"] == "req-1" and first["path"] == "/courses/mini/learn/plus"
    assert first["message"] == "request" and first["level"] == "info"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["time"])
    assert isinstance(first["duration_ms"], float)


def test_liveness_csrf_and_me_need_no_worker_thread(client: TestClient) -> None:
    """With every worker thread held (as a login rush hashing passwords holds them),
    /healthz, /api/csrf and /api/me still answer: they run on the event loop."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from anyio import to_thread

    signup(client, "threads@example.org")
    portal = client.portal
    assert portal is not None
    release = threading.Event()
    limiter = portal.call(to_thread.current_default_thread_limiter)

    async def hold() -> bool:
        return await to_thread.run_sync(release.wait)

    held = [portal.start_task_soon(hold) for _ in range(int(limiter.total_tokens))]
    try:
        while limiter.borrowed_tokens < limiter.total_tokens:
            release.wait(0.01)
        with ThreadPoolExecutor(1) as caller:  # a request that waited for a thread fails
            for path in ("/healthz", "/api/csrf", "/api/me"):
                r = caller.submit(client.get, path).result(timeout=30)
                assert r.status_code == 200, (path, r.status_code)
    finally:
        release.set()
        for future in held:
            future.result(timeout=30)
