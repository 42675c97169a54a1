from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/redirect/arith")
def go():
    param = request.args.get("url", "/")
    num = 196
    bar = param if (500 / 7) + num > 200 else "/home"
    return redirect(bar)
