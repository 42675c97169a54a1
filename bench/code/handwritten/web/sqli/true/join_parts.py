import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/join")
def join_parts():
    values = request.args.getlist("tag")
    parts = []
    for v in values:
        parts.append("'" + v + "'")
    clause = ", ".join(parts)
    sql = "SELECT id FROM posts WHERE tag IN (" + clause + ")"
    with sqlite3.connect("blog.db") as conn:
        found = conn.execute(sql).fetchall()
    return {"ids": [r[0] for r in found]}
