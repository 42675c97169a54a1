from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("staff.xml")


def build_expr(dept):
    return "//employee[department='" + dept + "']/name/text()"


@app.route("/xpath/dept")
def dept():
    return {"names": TREE.xpath(build_expr(request.args.get("dept", "")))}
