import html

from flask import Flask, request

app = Flask(__name__)


class Greeting:
    template = "<p>Hello, {}</p>"

    def __init__(self, who):
        self.who = html.escape(who)

    def render(self):
        return self.template.format(self.who)


@app.route("/xss/greet-safe")
def greet_safe():
    return Greeting(request.args.get("who", "")).render()
