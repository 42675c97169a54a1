import sqlite3

import flask

app = flask.Flask(__name__)


class Decorator:
    def wrap(self, value):
        if value:
            return "[known]"
        return "[empty]"


@app.route("/sqli/helper", methods=["GET"])
def by_helper():
    param = flask.request.headers.get("X-Account", "")
    bar = Decorator().wrap(param)
    query = "SELECT balance FROM ledger WHERE tag = '%s'" % bar
    cur = sqlite3.connect("ledger.db").cursor()
    cur.execute(query)
    return str(cur.fetchone())
