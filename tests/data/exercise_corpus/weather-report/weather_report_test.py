import unittest

from weather_report import temperature


class WeatherReportTest(unittest.TestCase):
    def test_returns_a_float(self):
        self.assertIsInstance(temperature("Oslo"), float)
