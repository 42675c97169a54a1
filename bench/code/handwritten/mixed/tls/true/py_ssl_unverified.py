import ssl
import urllib.request


def fetch_status():
    ctx = ssl._create_unverified_context()
    with urllib.request.urlopen("https://status.internal/health", context=ctx, timeout=5) as r:
        return r.status
