from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/shop")
def shop():
    host = request.args.get("host", "shop.example.org")
    return redirect("https://{}/cart".format(host))
