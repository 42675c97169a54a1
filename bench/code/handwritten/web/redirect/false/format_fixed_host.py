from urllib.parse import quote

from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/shop")
def shop():
    item = request.args.get("item", "")
    return redirect("https://shop.example.org/cart?item=" + quote(item, safe=""))
