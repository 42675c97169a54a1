import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.route("/sqli/switch-safe", methods=["POST"])
def switched_safe():
    param = request.form["q"]
    guess = "ABC"
    choice = guess[2]
    if choice == "A":
        bar = param
    elif choice == "B":
        bar = param
    else:
        bar = "other"
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("UPDATE users SET nick = '" + bar + "' WHERE id = 1")
    conn.commit()
    return "ok"
