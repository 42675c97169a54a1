from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/xxe/lxml", methods=["POST"])
def parse():
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    root = etree.fromstring(request.data, parser)
    return {"tag": root.tag}
