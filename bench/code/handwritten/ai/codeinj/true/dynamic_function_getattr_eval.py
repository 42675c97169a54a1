import math

from fastapi import FastAPI

app = FastAPI()


@app.get("/math")
def compute(func: str, x: float):
    result = eval(f"math.{func}({x})")
    return {"result": result}
