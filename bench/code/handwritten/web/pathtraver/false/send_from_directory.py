from flask import Flask, request, send_from_directory

app = Flask(__name__)


@app.route("/path/download", methods=["POST"])
def download():
    name = request.form["report"]
    return send_from_directory("/srv/reports", name, as_attachment=True)
