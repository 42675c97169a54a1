import io
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/buf")
def buffered():
    who = request.cookies.get("who", "guest")
    buf = io.StringIO()
    buf.write("SELECT * FROM prefs WHERE user = '")
    buf.write(who)
    buf.write("'")
    cur = sqlite3.connect("p.db").cursor()
    cur.execute(buf.getvalue())
    return "done"
