import configparser
import sqlite3

from flask import Blueprint, request

bp = Blueprint("sqli_cfg", __name__)


@bp.route("/sqli/cfg", methods=["POST"])
def lookup_cfg():
    param = request.form.get("name")
    if not param:
        param = ""

    conf = configparser.ConfigParser()
    conf.add_section("section")
    conf.set("section", "first", "fixed-value")
    conf.set("section", "second", param)
    bar = conf.get("section", "first")

    sql = "SELECT * FROM accounts WHERE owner = '" + bar + "'"
    conn = sqlite3.connect("app.db")
    rows = conn.execute(sql).fetchall()
    return {"rows": len(rows)}
