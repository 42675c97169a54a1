from flask import Flask, request

app = Flask(__name__)


class Config:
    expression = "1 + 1"
    label = ""


@app.route("/codeinj/getattr-safe")
def evaluate_safe():
    cfg = Config()
    setattr(cfg, "label", request.args.get("expr", "0"))
    value = getattr(cfg, "expression")
    return str(eval(value))
