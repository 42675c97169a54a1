from flask import Flask, request

app = Flask(__name__)


class Config:
    expression = "1 + 1"


@app.route("/codeinj/getattr")
def evaluate():
    cfg = Config()
    setattr(cfg, "expression", request.args.get("expr", "0"))
    value = getattr(cfg, "expression")
    return str(eval(value))
