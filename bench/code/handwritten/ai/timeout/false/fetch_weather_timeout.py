import requests


def get_weather(city, api_key):
    url = "https://api.weather.example.org/data"
    response = requests.get(url, params={"q": city, "appid": api_key}, timeout=10)
    response.raise_for_status()
    return response.json()
