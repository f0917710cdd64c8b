"""TestClient tests for the to-do API in app_under_test: every status code of the contract."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app_under_test import create_app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:  # a fresh app, so an empty store, per test
        yield test_client


@pytest.fixture
def todo_id(client: TestClient) -> int:
    r = client.post("/todos", json={"title": "write tests"})
    todo_id: int = r.json()["id"]
    return todo_id


def test_create_returns_201_and_the_todo(client: TestClient) -> None:
    r = client.post("/todos", json={"title": "write tests"})
    assert r.status_code == 201
    assert r.json() == {"id": 1, "title": "write tests", "done": False}


@pytest.mark.parametrize("payload", [{"title": ""}, {}, {"title": "x" * 101}])
def test_invalid_title_is_422(client: TestClient, payload: dict[str, str]) -> None:
    assert client.post("/todos", json=payload).status_code == 422


def test_read(client: TestClient, todo_id: int) -> None:
    r = client.get(f"/todos/{todo_id}")
    assert r.status_code == 200
    assert r.json()["title"] == "write tests"


def test_mark_done(client: TestClient, todo_id: int) -> None:
    r = client.patch(f"/todos/{todo_id}", json={"done": True})
    assert r.status_code == 200
    assert r.json()["done"] is True
    assert client.get(f"/todos/{todo_id}").json()["done"] is True


def test_delete(client: TestClient, todo_id: int) -> None:
    r = client.delete(f"/todos/{todo_id}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(f"/todos/{todo_id}").status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_id_is_404(client: TestClient, method: str) -> None:
    r = client.request(method, "/todos/999", json={"done": True})
    assert r.status_code == 404
