import os

from flask import Flask, request

app = Flask(__name__)

wrap = lambda value: "nslookup " + value


@app.route("/cmdi/lambda")
def lookup():
    domain = request.args.get("domain", "")
    os.system(wrap(domain))
    return "done"
