from flask import Flask, jsonify, request

app = Flask(__name__)
comments = []


@app.route("/comments", methods=["GET", "POST"])
def comment_board():
    if request.method == "POST":
        comments.append(request.form.get("comment", ""))
    return jsonify({"comments": comments})
