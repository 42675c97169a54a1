from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/redirect/arith-safe")
def go_safe():
    param = request.args.get("url", "/")
    num = 196
    bar = param if (7 * 18) - num > 200 else "/home"
    return redirect(bar)
