from flask import Flask, request

app = Flask(__name__)


@app.route("/path/save", methods=["PUT"])
def save():
    name = request.headers.get("X-File-Name", "upload.bin")
    dest = "/srv/incoming/{}".format(name)
    with open(dest, "wb") as out:
        out.write(request.get_data())
    return {"saved": dest}
