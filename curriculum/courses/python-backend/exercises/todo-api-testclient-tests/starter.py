"""TestClient tests for the to-do API in app_under_test."""

from fastapi.testclient import TestClient

from app_under_test import create_app


def test_create_todo() -> None:
    client = TestClient(create_app())
    r = client.post("/todos", json={"title": "write tests"})
    assert r.json()["title"] == "write tests"
    # TODO: status codes, validation, read, update, delete, unknown ids
