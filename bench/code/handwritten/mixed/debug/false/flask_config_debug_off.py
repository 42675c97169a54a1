from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = False
app.config["TESTING"] = False


@app.route("/health")
def health():
    return "ok"
