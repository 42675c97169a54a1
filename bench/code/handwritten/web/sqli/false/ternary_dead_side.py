import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/ternary", methods=["POST"])
def ternary():
    param = request.values.get("sort", "")
    limit = 9
    bar = param if (limit * 3) + 2 > 40 else "created"
    sql = f"SELECT * FROM orders ORDER BY {bar}"
    conn = sqlite3.connect("shop.db")
    return {"n": len(conn.execute(sql).fetchall())}
