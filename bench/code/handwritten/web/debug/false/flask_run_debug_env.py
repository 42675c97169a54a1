import os

from flask import Flask, request

app = Flask(__name__)
DEBUG_MODE = os.environ.get("FLASK_DEBUG") == "1"


@app.route("/echo")
def echo():
    return {"msg": request.args.get("msg", "")}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000, debug=DEBUG_MODE)
