from flask import Flask, send_from_directory

app = Flask(__name__)
UPLOAD_FOLDER = "uploads"


@app.route("/download/<path:filename>")
def download(filename):
    return send_from_directory(UPLOAD_FOLDER, filename, as_attachment=True)
