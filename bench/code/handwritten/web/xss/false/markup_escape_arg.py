from flask import Flask, request
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/xss/markup")
def markup():
    bio = request.form.get("bio", "")
    return Markup("<section>%s</section>") % escape(bio)
