import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/join")
def join_parts():
    values = request.args.getlist("tag")
    marks = ", ".join("?" for _ in values)
    sql = "SELECT id FROM posts WHERE tag IN (" + marks + ")"
    with sqlite3.connect("blog.db") as conn:
        found = conn.execute(sql, values).fetchall()
    return {"ids": [r[0] for r in found]}
