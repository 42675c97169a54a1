from xml.dom import minidom
from xml.sax import handler, make_parser

from flask import Flask, request

app = Flask(__name__)


@app.route("/xxe/minidom", methods=["POST"])
def stream():
    sax = make_parser()
    sax.setFeature(handler.feature_external_ges, 1)
    doc = minidom.parseString(request.get_data(), parser=sax)
    return {"root": doc.documentElement.tagName}
