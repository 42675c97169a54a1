import collections
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/deque")
def deque_hop():
    param = request.args.get("name", "")
    queue = collections.deque(["alpha"])
    queue.appendleft(param)
    chosen = queue.popleft()
    sql = "SELECT * FROM people WHERE name = '" + chosen + "'"
    return str(sqlite3.connect("p.db").execute(sql).fetchall())
