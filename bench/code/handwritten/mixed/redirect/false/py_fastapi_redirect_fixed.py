from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()

TARGETS = {"docs": "/docs", "home": "/"}


@app.get("/go")
def go(dest: str):
    return RedirectResponse(TARGETS.get(dest, "/"))
