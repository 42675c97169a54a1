import platform
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/cmd/echo", methods=["POST"])
def echo_back():
    param = request.form.get("msg", "")
    args = []
    if platform.system() == "Windows":
        args.append("cmd.exe")
        args.append("/c")
    else:
        args.append("sh")
        args.append("-c")
    args.append("echo " + param)
    proc = subprocess.run(args, capture_output=True, text=True)
    return proc.stdout
