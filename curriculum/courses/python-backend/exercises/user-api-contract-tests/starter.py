"""Contract tests for GET /users/{id}: the exact response shape the mobile app relies on."""

from fastapi.testclient import TestClient

from app_under_test import app

client = TestClient(app)


def test_read_user() -> None:
    r = client.get("/users/1")
    assert r.status_code == 200
    assert r.json()["email"] == "ada@example.com"
