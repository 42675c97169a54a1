import sqlite3

from flask import Flask, request

app = Flask(__name__)


class QueryBuilder:
    table = "customers"

    @staticmethod
    def where(column, value):
        return "SELECT * FROM customers WHERE " + column + " = '" + value + "'"


@app.route("/sqli/static", methods=["POST"])
def static_builder():
    city = request.form.get("city", "")
    conn = sqlite3.connect("crm.db")
    return str(conn.execute(QueryBuilder.where("city", city)).fetchall())
