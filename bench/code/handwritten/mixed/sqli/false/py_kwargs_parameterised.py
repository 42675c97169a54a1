import sqlite3

from flask import Flask, request

app = Flask(__name__)


def run_query(conn, **parts):
    return conn.execute("SELECT * FROM items WHERE owner = ?", (parts["owner"],)).fetchall()


@app.route("/sqli/kwargs-safe")
def kwargs_query_safe():
    owner = request.args.get("owner")
    with sqlite3.connect("items.db") as conn:
        return str(run_query(conn, owner=owner, limit=10))
