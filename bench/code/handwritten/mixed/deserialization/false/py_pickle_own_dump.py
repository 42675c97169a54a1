import json
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.route("/deser/cart-safe")
def cart_safe():
    items = json.loads(request.cookies.get("cart", "[]"))
    snapshot = pickle.dumps(items)
    restored = pickle.loads(snapshot)
    return {"count": len(restored)}
