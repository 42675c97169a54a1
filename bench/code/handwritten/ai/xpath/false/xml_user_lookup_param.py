from flask import Flask, jsonify, request
from lxml import etree

app = Flask(__name__)
tree = etree.parse("users.xml")


@app.route("/user")
def get_user():
    """Find a user's email in the XML user store."""
    username = request.args.get("username")
    result = tree.xpath("//user[username/text()=$name]/email/text()", name=username)
    return jsonify({"email": result[0] if result else None})
