import math

from fastapi import FastAPI, HTTPException

app = FastAPI()
ALLOWED_FUNCS = {"sqrt", "sin", "cos", "log"}


@app.get("/math")
def compute(func: str, x: float):
    if func not in ALLOWED_FUNCS:
        raise HTTPException(status_code=400, detail="function not allowed")
    result = getattr(math, func)(x)
    return {"result": result}
