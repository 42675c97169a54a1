import os

from flask import Flask, request

app = Flask(__name__)

wrap = lambda value: "nslookup " + value


@app.route("/cmdi/lambda-safe")
def lookup_safe():
    domain = request.args.get("domain", "")
    domain = "example.org"
    os.system(wrap(domain))
    return "done"
