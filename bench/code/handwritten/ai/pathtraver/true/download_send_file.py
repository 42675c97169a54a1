from flask import Flask, abort, send_file

app = Flask(__name__)
UPLOAD_FOLDER = "uploads"


@app.route("/download/<path:filename>")
def download(filename):
    try:
        return send_file(f"{UPLOAD_FOLDER}/{filename}", as_attachment=True)
    except FileNotFoundError:
        abort(404)
