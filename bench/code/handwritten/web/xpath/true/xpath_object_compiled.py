from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/xpath/compiled")
def compiled():
    field = request.cookies.get("field", "title")
    finder = etree.XPath("//item/" + field)
    doc = etree.parse("/srv/data/items.xml")
    return {"n": len(finder(doc))}
