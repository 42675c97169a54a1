from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.route("/xxe/lxml", methods=["POST"])
def parse_lxml():
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(request.get_data(), parser)
    return {"tag": root.tag, "text": root.text}
