from defusedxml import ElementTree as DET
from flask import Flask, request

app = Flask(__name__)


@app.route("/xxe/defused", methods=["POST"])
def parse_defused():
    root = DET.fromstring(request.data)
    return {"tag": root.tag}
