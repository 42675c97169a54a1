from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


@app.route("/xss/markup")
def markup():
    bio = request.form.get("bio", "")
    return Markup("<section>%s</section>" % bio)
