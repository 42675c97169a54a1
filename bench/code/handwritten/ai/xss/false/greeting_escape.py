from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.route("/greet")
def greet():
    """Greet the user by name."""
    name = request.args.get("name", "Guest")
    return f"""
    <html>
        <head><title>Greeting</title></head>
        <body><h1>Hello, {escape(name)}!</h1></body>
    </html>
    """
