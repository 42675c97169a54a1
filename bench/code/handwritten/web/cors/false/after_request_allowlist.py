from flask import Flask, request

app = Flask(__name__)
TRUSTED = {"https://app.example.org", "https://admin.example.org"}


@app.after_request
def cors(resp):
    origin = request.headers.get("Origin", "")
    if origin in TRUSTED:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.headers["Vary"] = "Origin"
    return resp


@app.route("/api/account")
def account():
    return {"id": 7, "plan": "pro"}
