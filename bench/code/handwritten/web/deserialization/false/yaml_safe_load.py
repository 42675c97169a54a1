import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/des/config", methods=["POST"])
def config():
    text = request.get_data(as_text=True)
    cfg = yaml.safe_load(text)
    return {"keys": sorted(cfg)}
