from flask import Flask, request
from jinja2 import Environment

app = Flask(__name__)
env = Environment(autoescape=False)
TEMPLATE = env.from_string("<div class='bio'>{{ bio }}</div>")


@app.route("/profile")
def profile():
    bio = request.args.get("bio", "")
    return TEMPLATE.render(bio=bio)
