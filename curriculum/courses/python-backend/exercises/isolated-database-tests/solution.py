"""Tests for the heroes API, each on a fresh in-memory SQLite database."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from app_under_test import app, get_session


@pytest.fixture
def client() -> Iterator[TestClient]:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)

    def session_override() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[get_session] = session_override
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()
    engine.dispose()


def test_created_hero_is_listed(client: TestClient) -> None:
    r = client.post("/heroes", json={"name": "Storm", "power": 90})
    assert r.status_code == 201
    assert r.json()["id"] == 1
    assert client.get("/heroes").json() == [{"id": 1, "name": "Storm", "power": 90}]


def test_starts_empty(client: TestClient) -> None:
    assert client.get("/heroes").json() == []


def test_duplicate_name_is_409(client: TestClient) -> None:
    client.post("/heroes", json={"name": "Storm", "power": 90})
    r = client.post("/heroes", json={"name": "Storm", "power": 10})
    assert r.status_code == 409


def test_listed_strongest_first(client: TestClient) -> None:
    for name, power in [("Ant", 5), ("Titan", 99), ("Fox", 40)]:
        client.post("/heroes", json={"name": name, "power": power})
    assert [h["name"] for h in client.get("/heroes").json()] == ["Titan", "Fox", "Ant"]
