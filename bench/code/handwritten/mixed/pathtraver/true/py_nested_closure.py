from flask import Flask, request

app = Flask(__name__)


@app.route("/path/closure")
def closure_read():
    name = request.args.get("file", "")

    def reader():
        with open("/srv/share/" + name) as fh:
            return fh.read()

    return reader()
