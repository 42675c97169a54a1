from flask import Flask, render_template_string, request

app = Flask(__name__)

PAGE = """
<!doctype html>
<title>Search</title>
<form><input name="q"><button>Search</button></form>
<p>Results for: {{ query }}</p>
"""


@app.route("/search")
def search():
    query = request.args.get("q", "")
    return render_template_string(PAGE, query=query)
