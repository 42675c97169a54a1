from flask import Flask, request

app = Flask(__name__)


@app.route("/code/hook", methods=["POST"])
def hook():
    hooks = {"before": "pass", "after": request.form.get("after", "pass")}
    exec(hooks["before"], {})
    return {"ran": True}
