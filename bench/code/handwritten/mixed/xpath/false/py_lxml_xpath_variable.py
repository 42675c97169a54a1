from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("staff.xml")


@app.route("/xpath/dept-safe")
def dept_safe():
    dept = request.args.get("dept", "")
    return {"names": TREE.xpath("//employee[department=$d]/name/text()", d=dept)}
