import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)


@app.route("/xpath/books", methods=["POST"])
def books():
    author = request.form.get("author", "")
    root = ET.parse("/srv/data/books.xml").getroot()
    hits = [b for b in root.findall(".//book") if b.findtext("author") == author]
    return {"count": len(hits)}
