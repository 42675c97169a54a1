from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("/srv/data/employees.xml")


@app.route("/xpath/emp")
def employee():
    name = request.args.get("name", "")
    query = "/employees/employee[@name=$who]/salary/text()"
    return {"salary": TREE.xpath(query, who=name)}
