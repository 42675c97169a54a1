import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Webhook(BaseModel):
    callback_url: str
    event: str


@app.post("/webhooks/test")
async def test_webhook(hook: Webhook):
    async with httpx.AsyncClient(timeout=5) as client:
        r = await client.post(hook.callback_url, json={"event": hook.event})
    return {"delivered": r.status_code < 400}
