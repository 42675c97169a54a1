from flask import Flask, jsonify, request
import sqlite3

app = Flask(__name__)
DATABASE = "users.db"


def get_db_connection():
    conn = sqlite3.connect(DATABASE)
    conn.row_factory = sqlite3.Row
    return conn


@app.route("/user", methods=["GET"])
def get_user():
    """Return a user's profile by username."""
    username = request.args.get("username")
    if not username:
        return jsonify({"error": "username is required"}), 400

    conn = get_db_connection()
    cursor = conn.cursor()
    cursor.execute("SELECT id, username, email FROM users WHERE username = ?", (username,))
    user = cursor.fetchone()
    conn.close()

    if user is None:
        return jsonify({"error": "User not found"}), 404
    return jsonify(dict(user))


if __name__ == "__main__":
    app.run()
