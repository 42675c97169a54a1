from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/xss/greet")
def greet():
    who = request.args.get("who", "world")
    page = "<html><body><h1>Hello " + who + "</h1></body></html>"
    return render_template_string(page)
