import sqlite3

from flask import Flask, request

app = Flask(__name__)


class Holder:
    def __init__(self, value):
        self.value = value


@app.route("/sqli/holder")
def holder_query():
    raw = request.args.get("account", "")
    bucket = {"fixed": "guest", "given": raw}
    holder = Holder(bucket["given"])
    sql = "SELECT balance FROM ledger WHERE account = '%s'" % holder.value
    conn = sqlite3.connect("bank.db")
    return str(conn.execute(sql).fetchall())
