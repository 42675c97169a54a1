from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/xxe/lxml-safe", methods=["POST"])
def parse_safe():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(request.data, parser)
    return {"tag": root.tag}
