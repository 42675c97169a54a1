from flask import Flask, request
from jinja2 import Environment, select_autoescape

app = Flask(__name__)
env = Environment(autoescape=select_autoescape(default_for_string=True))
TEMPLATE = env.from_string("<div class='bio'>{{ bio }}</div>")


@app.route("/profile")
def profile():
    bio = request.args.get("bio", "")
    return TEMPLATE.render(bio=bio)
