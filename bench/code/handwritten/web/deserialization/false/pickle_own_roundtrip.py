import pickle

from flask import Flask, request

app = Flask(__name__)


@app.route("/des/copy", methods=["POST"])
def copy():
    names = request.form.getlist("name")
    snapshot = pickle.dumps(sorted(names))
    restored = pickle.loads(snapshot)
    return {"names": restored}
