from flask import Flask, request

app = Flask(__name__)


@app.route("/xss/acc", methods=["POST"])
def accumulate():
    body = ""
    param = request.form.get("comment", "")
    body += "<h2>Your comment</h2>"
    body += "<div>" + param + "</div>"
    return body
