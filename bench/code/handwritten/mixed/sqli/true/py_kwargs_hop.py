import sqlite3

from flask import Flask, request

app = Flask(__name__)


def render_query(**parts):
    return "SELECT * FROM items WHERE owner = '{owner}'".format(owner=parts["owner"])


@app.route("/sqli/kwargs")
def kwargs_query():
    owner = request.args.get("owner")
    sql = render_query(owner=owner, limit=10)
    with sqlite3.connect("items.db") as conn:
        return str(conn.execute(sql).fetchall())
