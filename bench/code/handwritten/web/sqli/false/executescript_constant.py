import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/reset", methods=["POST"])
def reset():
    who = request.form.get("user", "")
    conn = sqlite3.connect("p.db")
    conn.execute("DELETE FROM prefs WHERE user = ?", (who,))
    conn.executescript("VACUUM; ANALYZE;")
    return "reset " + str(len(who))
