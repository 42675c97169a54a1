import psycopg2
from flask import Flask, jsonify, request

app = Flask(__name__)


def get_connection():
    return psycopg2.connect(dbname="shop", user="shop", host="localhost")


@app.route("/products/search")
def search_products():
    term = request.args.get("q", "")
    category = request.args.get("category", "all")
    sql = "SELECT id, name, price FROM products WHERE name ILIKE %s"
    params = [f"%{term}%"]
    if category != "all":
        sql += " AND category = %s"
        params.append(category)
    with get_connection() as conn:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall()
    return jsonify([{"id": r[0], "name": r[1], "price": float(r[2])} for r in rows])
