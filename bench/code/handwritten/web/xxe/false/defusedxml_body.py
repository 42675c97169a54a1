from defusedxml import ElementTree as SafeET
from flask import Flask, request

app = Flask(__name__)


@app.route("/xxe/defused", methods=["POST"])
def defused():
    root = SafeET.fromstring(request.get_data())
    return {"tag": root.tag}
