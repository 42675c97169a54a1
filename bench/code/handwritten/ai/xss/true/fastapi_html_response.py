from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome", response_class=HTMLResponse)
async def welcome(user: str = "friend"):
    html_content = f"<html><body><h2>Welcome back, {user}</h2></body></html>"
    return HTMLResponse(content=html_content, status_code=200)
