from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/calculate", methods=["POST"])
def calculate():
    """Evaluate a math expression sent by the client, e.g. {"expression": "2 + 3 * 4"}."""
    data = request.get_json()
    expression = data.get("expression", "")
    try:
        result = eval(expression)
        return jsonify({"expression": expression, "result": result})
    except Exception as e:
        return jsonify({"error": str(e)}), 400
