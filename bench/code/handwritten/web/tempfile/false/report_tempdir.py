import os
import tempfile

from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    folder = tempfile.mkdtemp(prefix="report-")
    name = os.path.join(folder, "report.txt")
    with open(name, "w") as fh:
        fh.write("daily report\n")
    return {"file": name}
