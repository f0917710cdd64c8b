"""[not-found-swallowed] Clothing advice from the current temperature (the code under test)."""

from typing import Annotated

from fastapi import Depends, FastAPI


class CityNotFound(Exception):
    """The weather service does not know the city."""


class WeatherClient:
    """Talks to the real weather service over HTTP: unusable in tests."""

    def current_temp(self, city: str) -> float:
        raise RuntimeError("WeatherClient needs the network; override get_weather_client in tests")


def get_weather_client() -> WeatherClient:
    return WeatherClient()


app = FastAPI()


@app.get("/advice/{city}")
def advice(city: str, client: Annotated[WeatherClient, Depends(get_weather_client)]) -> dict[str, str]:
    try:
        temp = client.current_temp(city)
    except CityNotFound:
        return {"city": city, "advice": "jumper"}
    if temp < 5:
        wear = "coat"
    elif temp <= 25:
        wear = "jumper"
    else:
        wear = "t-shirt"
    return {"city": city, "advice": wear}
