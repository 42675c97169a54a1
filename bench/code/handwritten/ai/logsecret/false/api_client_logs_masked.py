import logging
import os

import requests

log = logging.getLogger("client")


def fetch_data():
    api_key = os.environ.get("SERVICE_API_KEY", "")
    log.debug("Calling service with API key ending in %s", "****")
    return requests.get("https://service.example.org/data", headers={"X-API-Key": api_key}, timeout=10).json()
