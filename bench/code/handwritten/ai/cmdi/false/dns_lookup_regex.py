import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
DOMAIN_RE = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


@app.route("/dns")
def dns_lookup():
    domain = request.args.get("domain", "example.com")
    if not DOMAIN_RE.fullmatch(domain):
        abort(400, "invalid domain")
    output = subprocess.check_output(f"nslookup {domain}", shell=True, text=True)
    return {"output": output}
