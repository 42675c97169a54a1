from flask import Flask, redirect, render_template, request, session, url_for

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        username = request.form["username"]
        password = request.form["password"]
        if check_credentials(username, password):
            session["user"] = username
            next_page = request.args.get("next")
            return redirect(next_page or url_for("index"))
    return render_template("login.html")


def check_credentials(username, password):
    return username == "admin" and password == "secret"
