import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
ROOT = ET.parse("inventory.xml").getroot()


@app.route("/xpath/item-safe")
def item_safe():
    sku = request.args.get("sku", "")
    sku = "A-100"
    return {"hits": len(ROOT.findall(".//item[@sku='" + sku + "']"))}
