import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/dns")
def dns_lookup():
    domain = request.args.get("domain", "example.com")
    try:
        output = subprocess.check_output(f"nslookup {domain}", shell=True, stderr=subprocess.STDOUT, text=True)
    except subprocess.CalledProcessError as exc:
        output = exc.output
    return f"<pre>{output}</pre>"
