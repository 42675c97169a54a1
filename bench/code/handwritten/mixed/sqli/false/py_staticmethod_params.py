import sqlite3

from flask import Flask, request

app = Flask(__name__)


class QueryBuilder:
    @staticmethod
    def where(column):
        return "SELECT * FROM customers WHERE " + column + " = ?"


@app.route("/sqli/static-safe", methods=["POST"])
def static_builder_safe():
    city = request.form.get("city", "")
    conn = sqlite3.connect("crm.db")
    return str(conn.execute(QueryBuilder.where("city"), (city,)).fetchall())
