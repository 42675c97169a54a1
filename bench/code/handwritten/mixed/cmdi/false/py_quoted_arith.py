import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmdi/quoted")
def quoted():
    name = request.args.get("name", "")
    num = 106
    value = shlex.quote(name) if (7 * 18) - num > 10 else name
    subprocess.run("grep -r " + value + " /srv/docs", shell=True, check=False)
    return "searched"
