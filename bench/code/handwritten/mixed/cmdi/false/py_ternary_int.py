import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/count")
def counted():
    raw = request.args.get("count", "3")
    count = int(raw) if raw.isdigit() else 3
    os.system("ping -c " + str(count) + " gateway.local")
    return "ok"
