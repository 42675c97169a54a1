import collections
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/deque-safe")
def deque_hop_safe():
    param = request.args.get("name", "")
    queue = collections.deque(["alpha"])
    queue.append(param)
    chosen = queue.popleft()
    sql = "SELECT * FROM people WHERE name = '" + chosen + "'"
    return str(sqlite3.connect("p.db").execute(sql).fetchall())
