import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/switch", methods=["POST"])
def switched():
    param = request.form["q"]
    guess = "ABC"
    choice = guess[1]
    if choice == "A":
        bar = "constant"
    elif choice == "B":
        bar = param
    else:
        bar = "other"
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("UPDATE users SET nick = '" + bar + "' WHERE id = 1")
    conn.commit()
    return "ok"
