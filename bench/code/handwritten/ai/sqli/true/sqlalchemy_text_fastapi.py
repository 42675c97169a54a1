from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///./orders.db")


@app.get("/orders/{customer}")
def list_orders(customer: str, status: str = "open"):
    with engine.connect() as conn:
        result = conn.execute(
            text(f"SELECT id, total FROM orders WHERE customer = '{customer}' AND status = '{status}'")
        )
        return [dict(row._mapping) for row in result]
