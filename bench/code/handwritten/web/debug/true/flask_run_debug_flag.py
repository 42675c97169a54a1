from flask import Flask, request

app = Flask(__name__)
DEBUG_MODE = True


@app.route("/echo")
def echo():
    return {"msg": request.args.get("msg", "")}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000, debug=DEBUG_MODE)
