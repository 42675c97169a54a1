import codecs

from flask import Flask, request

app = Flask(__name__)
BASE = "/srv/docs/"


@app.route("/path/read")
def read_doc():
    param = request.args.get("doc", "")
    file_name = BASE + param
    with codecs.open(file_name, "r", encoding="utf-8") as fh:
        return {"text": fh.read()}
