"""Tests for GET /advice/{city}, with the weather service replaced by a fake."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app_under_test import CityNotFound, app, get_weather_client


class FakeWeather:
    """Known temperatures per city; unknown cities raise like the real client does."""

    def __init__(self, temps: dict[str, float]) -> None:
        self.temps = temps

    def current_temp(self, city: str) -> float:
        if city not in self.temps:
            raise CityNotFound(city)
        return self.temps[city]


@pytest.fixture
def client() -> Iterator[TestClient]:
    fake = FakeWeather({"oslo": -3.0, "paris": 5.0, "rome": 25.0, "cairo": 31.0})
    app.dependency_overrides[get_weather_client] = lambda: fake
    with TestClient(app) as test_client:
        yield test_client
    app.dependency_overrides.clear()


@pytest.mark.parametrize(
    ("city", "advice"),
    [("oslo", "coat"), ("paris", "jumper"), ("rome", "jumper"), ("cairo", "t-shirt")],
)
def test_advice_by_temperature(client: TestClient, city: str, advice: str) -> None:
    r = client.get(f"/advice/{city}")
    assert r.status_code == 200
    assert r.json() == {"city": city, "advice": advice}


def test_unknown_city_is_404(client: TestClient) -> None:
    r = client.get("/advice/atlantis")
    assert r.status_code == 404
    assert r.json() == {"detail": "unknown city"}
