from werkzeug.serving import run_simple

from service import create_app

if __name__ == "__main__":
    run_simple("127.0.0.1", 8000, create_app(), use_debugger=False, use_reloader=False)
