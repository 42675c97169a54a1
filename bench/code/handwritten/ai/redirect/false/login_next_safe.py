from urllib.parse import urljoin, urlparse

from flask import Flask, redirect, render_template, request, url_for

app = Flask(__name__)


def is_safe_url(target):
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        next_page = request.args.get("next")
        if not next_page or not is_safe_url(next_page):
            next_page = url_for("index")
        return redirect(next_page)
    return render_template("login.html")
