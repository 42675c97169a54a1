import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/ping")
def ping():
    host = request.args.get("host", "")
    result = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True, timeout=10)
    return {"code": result.returncode}
