import pytest

from app_under_test import CityNotFound, WeatherClient


def test_unknown_city() -> None:
    with pytest.raises(CityNotFound):
        WeatherClient().temperature("Atlantis")  # calls the real service
