from flask import Flask, request

app = Flask(__name__)


@app.route("/code/compile", methods=["POST"])
def compile_it():
    if (snippet := request.get_data(as_text=True)):
        code = compile(snippet, "<user>", "exec")
        namespace = {}
        exec(code, namespace)
        return {"names": sorted(namespace)}
    return {"names": []}
