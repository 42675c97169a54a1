from flask import Flask, request

app = Flask(__name__)
comments = []


@app.route("/comments", methods=["GET", "POST"])
def comment_board():
    if request.method == "POST":
        comments.append(request.form.get("comment", ""))
    items = "".join(f"<li>{c}</li>" for c in comments)
    return f"<h1>Comments</h1><ul>{items}</ul><form method='post'><input name='comment'></form>"
