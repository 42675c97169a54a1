from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
tree = etree.parse("users.xml")


@app.route("/user")
def get_user():
    """Find a user's email in the XML user store."""
    username = request.args.get("username")
    query = f"//user[username/text()='{username}']/email/text()"
    result = tree.xpath(query)
    return jsonify({"email": result[0] if result else None})
