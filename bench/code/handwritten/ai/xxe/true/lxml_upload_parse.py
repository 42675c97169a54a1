from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)


@app.route("/upload-xml", methods=["POST"])
def upload_xml():
    """Parse an uploaded XML document and return its root element and children."""
    xml_data = request.data
    parser = etree.XMLParser(resolve_entities=True)
    try:
        root = etree.fromstring(xml_data, parser)
    except etree.XMLSyntaxError as e:
        return jsonify({"error": str(e)}), 400
    return jsonify({"root": root.tag, "children": [child.tag for child in root]})
