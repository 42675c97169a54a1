import subprocess

from flask import Flask, request

app = Flask(__name__)


def make_runner(prefix):
    def run(arg):
        return subprocess.check_output(prefix + " " + arg, shell=True)

    return run


@app.route("/cmdi/closure")
def closure():
    runner = make_runner("whois")
    return runner(request.args.get("domain", ""))
