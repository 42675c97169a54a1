import yaml

from flask import Flask, request

app = Flask(__name__)


@app.route("/deser/yaml-safe", methods=["POST"])
def load_yaml_safe():
    return {"keys": list(yaml.safe_load(request.data))}
