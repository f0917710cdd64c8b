"""Tests for app_under_test.WeatherClient, with httpx.MockTransport instead of the network."""

import httpx
import pytest

from app_under_test import CityNotFound, WeatherClient, WeatherUnavailable


class FakeWeather:
    """A fake weather service: records requests, answers what the test sets."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.status = 200
        self.body: object = {"temp": "21.5"}
        self.error: Exception | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.error is not None:
            raise self.error
        return httpx.Response(self.status, json=self.body)


@pytest.fixture
def fake() -> FakeWeather:
    return FakeWeather()


@pytest.fixture
def client(fake: FakeWeather) -> WeatherClient:
    return WeatherClient(transport=httpx.MockTransport(fake))


def test_returns_the_temperature_as_a_float(client: WeatherClient) -> None:
    result = client.temperature("Lisbon")
    assert result == 21.5
    assert isinstance(result, float)


def test_asks_for_the_city_in_metric_units(client: WeatherClient, fake: FakeWeather) -> None:
    client.temperature("Lisbon")
    (request,) = fake.requests
    assert request.url.path == "/current"
    assert request.url.params["city"] == "Lisbon"
    assert request.url.params["units"] == "metric"


def test_unknown_city(client: WeatherClient, fake: FakeWeather) -> None:
    fake.status = 404
    with pytest.raises(CityNotFound):
        client.temperature("Atlantis")


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors(client: WeatherClient, fake: FakeWeather, status: int) -> None:
    fake.status = status
    with pytest.raises(WeatherUnavailable):
        client.temperature("Lisbon")


def test_network_failure(client: WeatherClient, fake: FakeWeather) -> None:
    fake.error = httpx.ConnectError("connection refused")
    with pytest.raises(WeatherUnavailable):
        client.temperature("Lisbon")
