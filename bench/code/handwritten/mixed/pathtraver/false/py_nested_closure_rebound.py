from flask import Flask, request

app = Flask(__name__)


@app.route("/path/closure-safe")
def closure_read_safe():
    name = request.args.get("file", "")
    name = "index.txt"

    def reader():
        with open("/srv/share/" + name) as fh:
            return fh.read()

    return reader()
