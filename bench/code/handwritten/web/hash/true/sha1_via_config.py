import configparser
import hashlib

from flask import Flask, request

app = Flask(__name__)


@app.route("/hash/cfg", methods=["POST"])
def cfg_hash():
    conf = configparser.ConfigParser()
    conf.read_string("[crypto]\nalgorithm = sha256\n")
    name = "sha1"
    h = hashlib.new(name)
    h.update(request.form.get("v", "").encode())
    return {"digest": h.hexdigest(), "configured": conf.get("crypto", "algorithm")}
