import json
import urllib.request


def temperature(city):
    with urllib.request.urlopen(f"https://weather.example.org/api/{city}") as response:
        return float(json.load(response)["temperature"])
