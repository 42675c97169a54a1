from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/xss/hello")
def hello():
    name = request.headers.get("Referer", "")
    resp = make_response(f"<p>You came from {name}</p>")
    resp.headers["Content-Type"] = "text/html"
    return resp
