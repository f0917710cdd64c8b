"""Tests for the heroes API. Each test must get its own, empty, in-memory database."""

from fastapi.testclient import TestClient

from app_under_test import app


def test_create_hero() -> None:
    # Uses the production engine (a file that doesn't exist here). Build an in-memory
    # engine in a fixture instead, and make the app's sessions use it.
    client = TestClient(app)
    r = client.post("/heroes", json={"name": "Storm", "power": 90})
    assert r.status_code == 201
