from flask import Flask

app = Flask(__name__)
app.config.update(
    SECRET_KEY="replace-me",
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
)
