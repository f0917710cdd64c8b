"""A small weather API client: the code under test."""

import httpx


class WeatherError(Exception):
    pass


class CityNotFound(WeatherError):
    pass


class WeatherUnavailable(WeatherError):
    pass


class WeatherClient:
    def __init__(self, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(
            base_url="https://weather.example.com", timeout=5.0, transport=transport
        )

    def temperature(self, city: str) -> float:
        try:
            response = self._http.get("/current", params={"city": city, "units": "metric"})
        except httpx.TransportError as err:
            raise WeatherUnavailable(f"cannot reach the weather service: {err}") from err
        if response.is_error:
            raise WeatherUnavailable(f"the weather service answered {response.status_code}")
        return float(response.json()["temp"])
