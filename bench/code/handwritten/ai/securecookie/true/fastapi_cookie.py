from fastapi import FastAPI, Response

app = FastAPI()


@app.post("/login")
def login(response: Response, username: str):
    token = f"token-for-{username}"
    response.set_cookie(key="access_token", value=token, httponly=True)
    return {"message": "ok"}
