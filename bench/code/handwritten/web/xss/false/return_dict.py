from flask import Flask, request

app = Flask(__name__)


@app.route("/xss/echo")
def echo():
    text = request.args.get("text", "")
    return {"echo": text, "length": len(text)}
