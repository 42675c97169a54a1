from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/out")
def outbound(url: str):
    """Track outbound clicks and forward the user."""
    print(f"outbound click to {url}")
    return RedirectResponse(url=url)
