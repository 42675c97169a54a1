import httpx


async def call_internal(path):
    async with httpx.AsyncClient(verify=False, timeout=10) as client:
        r = await client.get("https://internal.example.org" + path)
        return r.json()
