import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/match")
def matcher():
    param = request.args.get("q", "")
    mode = "BXC"[0]
    match mode:
        case "A":
            bar = "all"
        case "B":
            bar = param
        case _:
            bar = "none"
    cur = sqlite3.connect("x.db").cursor()
    cur.execute("SELECT * FROM items WHERE label = '{}'".format(bar))
    return "ok"
