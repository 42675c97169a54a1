from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = True
app.config["SECRET_KEY"] = "dev"


@app.route("/health")
def health():
    return {"status": "ok"}
