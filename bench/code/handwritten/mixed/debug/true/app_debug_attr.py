from flask import Flask

app = Flask(__name__)
app.debug = True


@app.route("/ping")
def ping():
    return "pong"
