import yaml

from flask import Flask, request

app = Flask(__name__)


@app.route("/deser/yaml", methods=["POST"])
def load_yaml():
    return {"keys": list(yaml.load(request.data, Loader=yaml.UnsafeLoader))}
