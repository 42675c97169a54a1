from flask import Flask, abort, redirect, request

app = Flask(__name__)


@app.route("/redirect/docs")
def to_docs():
    target = request.args.get("to", "")
    if not target.startswith("https://docs.example.org/"):
        abort(400)
    return redirect(target)
