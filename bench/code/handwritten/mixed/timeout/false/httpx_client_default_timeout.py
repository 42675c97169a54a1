import httpx


def upload(url, body):
    with httpx.Client() as client:
        return client.put(url, content=body)
