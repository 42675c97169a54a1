from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/path/download", methods=["POST"])
def download():
    name = request.form["report"]
    return send_file("/srv/reports/" + name, as_attachment=True)
