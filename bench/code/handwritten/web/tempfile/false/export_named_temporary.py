import csv
import tempfile

from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/export")
def export():
    rows = request.args.getlist("row")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="") as fh:
        csv.writer(fh).writerows([[r] for r in rows])
    return send_file(fh.name, as_attachment=True)
