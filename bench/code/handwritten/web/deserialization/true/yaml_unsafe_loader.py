import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/des/config", methods=["POST"])
def config():
    text = request.get_data(as_text=True)
    cfg = yaml.load(text, Loader=yaml.UnsafeLoader)
    return {"keys": sorted(cfg)}
