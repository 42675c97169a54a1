from xml.dom import minidom

from flask import Flask, request

app = Flask(__name__)


@app.route("/xxe/minidom", methods=["POST"])
def stream():
    doc = minidom.parseString(request.get_data())
    return {"root": doc.documentElement.tagName}
