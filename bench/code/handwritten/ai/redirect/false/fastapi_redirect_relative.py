from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/out")
def outbound(path: str):
    if not path.startswith("/") or path.startswith("//"):
        path = "/"
    return RedirectResponse(url=path)
