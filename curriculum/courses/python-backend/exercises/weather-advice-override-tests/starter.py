"""Tests for GET /advice/{city}. They must pass on correct code and catch broken versions."""

from fastapi.testclient import TestClient

from app_under_test import app


def test_cold_city_needs_a_coat() -> None:
    # This calls the real WeatherClient, which needs the network. Replace it with a fake
    # weather client, set up in a fixture, and test every rule of the prompt.
    client = TestClient(app)
    r = client.get("/advice/oslo")
    assert r.json()["advice"] == "coat"
