from flask import Flask, redirect, request

app = Flask(__name__)


class Flow:
    def __init__(self, args):
        self._args = args

    @property
    def target(self):
        return self._args.get("next", "/")


@app.route("/redirect/property")
def prop():
    return redirect(Flow(request.args).target)
