import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/match-safe")
def matched_safe():
    param = request.args.get("who", "")
    mode = "c"
    match mode:
        case "a":
            who = param
        case "b":
            who = param
        case _:
            who = "default"
    conn = sqlite3.connect("app.db")
    return str(conn.execute(f"SELECT * FROM staff WHERE name = '{who}'").fetchall())
