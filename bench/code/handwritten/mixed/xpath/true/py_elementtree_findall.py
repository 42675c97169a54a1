import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
ROOT = ET.parse("inventory.xml").getroot()


@app.route("/xpath/item")
def item():
    sku = request.args.get("sku", "")
    return {"hits": len(ROOT.findall(".//item[@sku='" + sku + "']"))}
