from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///./orders.db")


@app.get("/orders/{customer_id}")
def list_orders(customer_id: int, status: str = "open"):
    with engine.connect() as conn:
        result = conn.execute(
            text("SELECT id, total FROM orders WHERE customer_id = :cid AND status = :status"),
            {"cid": customer_id, "status": status},
        )
        return [dict(row._mapping) for row in result]
