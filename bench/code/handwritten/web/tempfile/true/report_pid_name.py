import os

from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    name = "/tmp/report-{}.txt".format(os.getpid())
    with open(name, "w") as fh:
        fh.write("daily report\n")
    return {"file": name}
