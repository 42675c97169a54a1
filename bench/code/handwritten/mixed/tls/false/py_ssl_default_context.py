import ssl
import urllib.request


def fetch_status():
    ctx = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
    with urllib.request.urlopen("https://status.internal/health", context=ctx, timeout=5) as r:
        return r.status
