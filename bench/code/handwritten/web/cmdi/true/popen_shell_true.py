import subprocess
import urllib.parse

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/grep")
def grep_logs():
    raw = request.query_string.decode()
    pattern = urllib.parse.unquote(raw.split("=", 1)[-1])
    proc = subprocess.Popen("grep -c " + pattern + " /var/log/app.log", shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return {"count": out.decode()}
