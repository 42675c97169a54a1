from flask import Flask, redirect, request, url_for

app = Flask(__name__)


class Flow:
    def __init__(self, args):
        self._args = args

    @property
    def target(self):
        return url_for("index", tab=self._args.get("tab", "home"))


@app.route("/redirect/property-safe")
def prop_safe():
    return redirect(Flow(request.args).target)


@app.route("/")
def index():
    return "home"
