"""Tests for app_under_test.WeatherClient.

TODO: build the client with `httpx.MockTransport` and a fake handler (in fixtures), then
test the temperature, the request's path and query parameters, an unknown city (404),
server errors (5xx) and a network failure, each mapped to the client's own exceptions.
"""

from app_under_test import WeatherClient


def test_client_can_be_created() -> None:
    assert WeatherClient() is not None
