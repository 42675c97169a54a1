import csv

from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/export")
def export():
    rows = request.args.getlist("row")
    path = "/tmp/export.csv"
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows([[r] for r in rows])
    return send_file(path, as_attachment=True)
