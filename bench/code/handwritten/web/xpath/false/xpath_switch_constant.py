from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/xpath/compiled")
def compiled():
    field = request.cookies.get("field", "title")
    selector = "ABC"[2]
    if selector == "A":
        part = field
    elif selector == "B":
        part = field.lower()
    else:
        part = "title"
    finder = etree.XPath("//item/" + part)
    doc = etree.parse("/srv/data/items.xml")
    return {"n": len(finder(doc))}
