from flask import Flask, abort, request

app = Flask(__name__)
LOG_FILES = {"app": "/var/log/myapp/app.log", "worker": "/var/log/myapp/worker.log"}


@app.route("/logs")
def view_log():
    name = request.args.get("name", "app")
    if name not in LOG_FILES:
        abort(404)
    with open(LOG_FILES[name]) as fh:
        return {"lines": fh.readlines()[-100:]}
