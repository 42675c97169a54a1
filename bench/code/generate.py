#!/usr/bin/env python3
"""Writes the labelled code-scanner benchmark under bench/code/cases/.

Each case is one small web handler (or script) with exactly one potential weakness, in the
style of OWASP-Benchmark test cases: a source, a propagation step, and a sink. Whether the
case is a true or a false positive depends only on the propagation (constant folding,
dead branches, collection elements that are provably constant, sanitisers, allow-lists)
or on the API variant used (weak vs strong hash, secure vs insecure cookie). The label is
the directory: cases/<class>/<true|false>/<name>.<ext>; the class's CWE numbers are in
classes.json. Run: python3 bench/code/generate.py (deterministic; rewrites cases/).
"""
import json
import os
import shutil
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "cases")

SOURCES = [
    ('param = request.args.get("p", "")', "args"),
    ('param = request.form.get("p", "")', "form"),
    ('param = request.headers.get("X-Param", "")', "header"),
    ('param = request.cookies.get("p", "")', "cookie"),
    ('param = request.get_json()["p"]', "json"),
]

# (name, code producing `bar` from `param`, keeps taint?)
PROPAGATIONS = [
    ("direct", "bar = param", True),
    ("concat", 'bar = "prefix-" + param', True),
    ("fstring", 'bar = f"value: {param}"', True),
    ("format", 'bar = "value: {}".format(param)', True),
    ("percent", 'bar = "value: %s" % param', True),
    ("list_tainted", 'lst = ["safe", param]\n    bar = lst[1]', True),
    ("list_constant", 'lst = ["safe", param]\n    bar = lst[0]', False),
    ("dict_tainted", 'd = {}\n    d["keyA"] = "a-value"\n    d["keyB"] = param\n    bar = d["keyB"]', True),
    ("dict_constant", 'd = {}\n    d["keyA"] = "a-value"\n    d["keyB"] = param\n    bar = d["keyA"]', False),
    ("ternary_taken", 'num = 196\n    bar = "safe" if (7 * 42) - num > 200 else param', True),
    ("ternary_folded", 'num = 86\n    bar = "safe" if (7 * 42) - num > 200 else param', False),
    ("dead_branch", 'bar = "safe"\n    if 1 == 2:\n        bar = param', False),
    ("live_branch", 'bar = "safe"\n    if 3 > 2:\n        bar = param', True),
    ("if_false", 'bar = "safe"\n    if False:\n        bar = param', False),
    ("overwritten", "bar = param\n    bar = \"constant\"", False),
    ("switch_constant", 'guess = "ABC"\n    target = guess[1]\n    if target == "A":\n        bar = param\n    elif target == "B":\n        bar = "bob"\n    else:\n        bar = "other"', False),
    ("switch_tainted", 'guess = "ABC"\n    target = guess[0]\n    if target == "A":\n        bar = param\n    elif target == "B":\n        bar = "bob"\n    else:\n        bar = "other"', True),
    ("helper_passthrough", "bar = do_something(param)", True),
    ("helper_constant", "bar = constant_thing(param)", False),
    ("pop_tainted", 'lst = []\n    lst.append("safe")\n    lst.append(param)\n    lst.append("moresafe")\n    lst.pop(0)\n    bar = lst[0]', True),
    ("pop_constant", 'lst = []\n    lst.append("safe")\n    lst.append(param)\n    lst.append("moresafe")\n    lst.pop(0)\n    bar = lst[1]', False),
    ("int_cast", "bar = str(int(param))", False),
    ("allowlist_return", 'if param not in ALLOWED:\n        return "invalid"\n    bar = param', False),
    ("allowlist_branch", 'bar = "default"\n    if param in ALLOWED:\n        bar = param', False),
    ("regex_checked", 'bar = "default"\n    if re.fullmatch(r"[a-z0-9]+", param):\n        bar = param', False),
]

HELPERS = '''
ALLOWED = ["alpha", "beta", "gamma"]


def do_something(value):
    return value.strip()


def constant_thing(value):
    return "fixed"
'''

# class -> (cwe list, sink template using `bar`, extra imports, class-specific sanitised variant)
TAINT_CLASSES = {
    "sqli": ([89], 'cur = sqlite3.connect("db").cursor()\n    cur.execute("SELECT * FROM users WHERE name = \'" + bar + "\'")\n    return "ok"', "import sqlite3",
             ('cur = sqlite3.connect("db").cursor()\n    cur.execute("SELECT * FROM users WHERE name = ?", (bar,))\n    return "ok"')),
    "cmdi": ([78], 'os.system("echo " + bar)\n    return "ok"', "import os\nimport shlex",
             ('os.system("echo " + shlex.quote(bar))\n    return "ok"')),
    "xss": ([79], 'return "<p>" + bar + "</p>"', "import html",
            ('return "<p>" + html.escape(bar) + "</p>"')),
    "pathtraver": ([22], 'with open("/srv/files/" + bar) as f:\n        return f.read()', "import os\nfrom werkzeug.utils import secure_filename",
                   ('with open("/srv/files/" + secure_filename(bar)) as f:\n        return f.read()')),
    "codeinj": ([94, 95], 'return str(eval(bar))', "import ast",
                ('return str(ast.literal_eval(bar))')),
    "ssrf": ([918], 'return requests.get(bar, timeout=5).text', "import requests",
             ('return requests.get("https://api.example.org/" + str(int(bar)), timeout=5).text')),
    "redirect": ([601], 'return flask.redirect(bar)', "",
                 ('return flask.redirect(flask.url_for("index"))')),
    "xpath": ([643], 'root = etree.fromstring("<users/>")\n    return str(root.xpath("//user[@name=\'" + bar + "\']"))', "from lxml import etree",
              ('root = etree.fromstring("<users/>")\n    return str(root.xpath("//user[@name=$n]", n=bar))')),
    "ldap": ([90], 'conn = ldap3.Connection("ldap://127.0.0.1")\n    conn.search("dc=example,dc=org", "(uid=" + bar + ")")\n    return "ok"', "import ldap3\nfrom ldap3.utils.conv import escape_filter_chars",
             ('conn = ldap3.Connection("ldap://127.0.0.1")\n    conn.search("dc=example,dc=org", "(uid=" + escape_filter_chars(bar) + ")")\n    return "ok"')),
    "trustbound": ([501], 'flask.session["userid"] = bar\n    return "ok"', "",
                   ('flask.session["userid"] = str(int(bar))\n    return "ok"')),
    "deserialization": ([502], 'return str(pickle.loads(base64.b64decode(bar)))', "import base64\nimport json\nimport pickle",
                        ('return str(json.loads(base64.b64decode(bar)))')),
}

PY_HEADER = '''import re
import flask
from flask import request
{imports}

app = flask.Flask(__name__)
{helpers}

@app.route("/{name}", methods=["GET", "POST"])
def {name}():
    {source}
    {propagation}
    {sink}
'''

# Non-taint classes: (cwe, [(label, name, code)])
PATTERN_CLASSES = {
    "hash": ([327, 328], [
        (True, "md5", "import hashlib\n\ndef digest(data):\n    return hashlib.md5(data).hexdigest()\n"),
        (True, "sha1", "import hashlib\n\ndef digest(data):\n    return hashlib.sha1(data).hexdigest()\n"),
        (True, "new_md5", 'import hashlib\n\ndef digest(data):\n    h = hashlib.new("md5")\n    h.update(data)\n    return h.hexdigest()\n'),
        (True, "new_var", 'import hashlib\n\ndef digest(data):\n    algorithm = "SHA1"\n    return hashlib.new(algorithm, data).hexdigest()\n'),
        (True, "from_import", "from hashlib import md5\n\ndef digest(data):\n    return md5(data).hexdigest()\n"),
        (True, "pycryptodome", "from Crypto.Hash import MD5\n\ndef digest(data):\n    return MD5.new(data).hexdigest()\n"),
        (False, "sha256", "import hashlib\n\ndef digest(data):\n    return hashlib.sha256(data).hexdigest()\n"),
        (False, "sha512", "import hashlib\n\ndef digest(data):\n    return hashlib.sha512(data).hexdigest()\n"),
        (False, "new_sha256", 'import hashlib\n\ndef digest(data):\n    h = hashlib.new("sha256")\n    h.update(data)\n    return h.hexdigest()\n'),
        (False, "new_var", 'import hashlib\n\ndef digest(data):\n    algorithm = "sha3_256"\n    return hashlib.new(algorithm, data).hexdigest()\n'),
        (False, "md5_not_security", "import hashlib\n\ndef etag(data):\n    return hashlib.md5(data, usedforsecurity=False).hexdigest()\n"),
        (False, "blake2", "import hashlib\n\ndef digest(data):\n    return hashlib.blake2b(data).hexdigest()\n"),
    ]),
    "crypto": ([327], [
        (True, "des", "from Crypto.Cipher import DES\n\ndef enc(key, data):\n    return DES.new(key, DES.MODE_ECB).encrypt(data)\n"),
        (True, "arc4", "from Crypto.Cipher import ARC4\n\ndef enc(key, data):\n    return ARC4.new(key).encrypt(data)\n"),
        (True, "aes_ecb", "from Crypto.Cipher import AES\n\ndef enc(key, data):\n    return AES.new(key, AES.MODE_ECB).encrypt(data)\n"),
        (True, "tripledes", "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\ndef enc(key, iv):\n    return Cipher(algorithms.TripleDES(key), modes.CBC(iv))\n"),
        (False, "aes_gcm", "from Crypto.Cipher import AES\n\ndef enc(key, data):\n    return AES.new(key, AES.MODE_GCM).encrypt_and_digest(data)\n"),
        (False, "fernet", "from cryptography.fernet import Fernet\n\ndef enc(key, data):\n    return Fernet(key).encrypt(data)\n"),
        (False, "aes_cbc", "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\ndef enc(key, iv):\n    return Cipher(algorithms.AES(key), modes.CBC(iv))\n"),
        (False, "chacha", "from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305\n\ndef enc(key, nonce, data):\n    return ChaCha20Poly1305(key).encrypt(nonce, data, None)\n"),
    ]),
    "weakrand": ([330, 338], [
        (True, "random", "import random\n\ndef token():\n    return str(random.random())\n"),
        (True, "randint", "import random\n\ndef code():\n    return random.randint(100000, 999999)\n"),
        (True, "getrandbits", "import random\n\ndef key():\n    return '%032x' % random.getrandbits(128)\n"),
        (True, "choice", "import random\nimport string\n\ndef password():\n    return ''.join(random.choice(string.ascii_letters) for _ in range(12))\n"),
        (False, "secrets_hex", "import secrets\n\ndef token():\n    return secrets.token_hex(16)\n"),
        (False, "system_random", "import random\n\ndef code():\n    return random.SystemRandom().randint(100000, 999999)\n"),
        (False, "secrets_choice", "import secrets\nimport string\n\ndef password():\n    return ''.join(secrets.choice(string.ascii_letters) for _ in range(12))\n"),
        (False, "urandom", "import os\n\ndef key():\n    return os.urandom(32).hex()\n"),
    ]),
    "securecookie": ([614], [
        (True, "no_flag", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    resp = flask.make_response("ok")\n    resp.set_cookie("session", "v", httponly=True)\n    return resp\n'),
        (True, "secure_false", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    resp = flask.make_response("ok")\n    resp.set_cookie("session", "v", secure=False, httponly=True)\n    return resp\n'),
        (True, "secure_var_false", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    flag = False\n    resp = flask.make_response("ok")\n    resp.set_cookie("session", "v", secure=flag, httponly=True)\n    return resp\n'),
        (False, "secure_true", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    resp = flask.make_response("ok")\n    resp.set_cookie("session", "v", secure=True, httponly=True)\n    return resp\n'),
        (False, "secure_var_true", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    flag = True\n    resp = flask.make_response("ok")\n    resp.set_cookie("session", "v", secure=flag, httponly=True, samesite="Lax")\n    return resp\n'),
        (False, "delete", 'import flask\n\napp = flask.Flask(__name__)\n\n@app.route("/c")\ndef c():\n    resp = flask.make_response("ok")\n    resp.delete_cookie("session")\n    return resp\n'),
    ]),
    "tls": ([295], [
        (True, "verify_false", "import requests\n\ndef f(u):\n    return requests.get(u, verify=False, timeout=5)\n"),
        (True, "unverified_ctx", "import ssl\n\nctx = ssl._create_unverified_context()\n"),
        (True, "cert_none", "import ssl\n\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE\n"),
        (False, "verify_true", "import requests\n\ndef f(u):\n    return requests.get(u, verify=True, timeout=5)\n"),
        (False, "ca_bundle", "import requests\n\ndef f(u):\n    return requests.get(u, verify='/etc/ssl/ca.pem', timeout=5)\n"),
        (False, "default_ctx", "import ssl\n\nctx = ssl.create_default_context()\n"),
    ]),
    "jwt": ([347], [
        (True, "no_verify_option", "import jwt\n\ndef claims(t):\n    return jwt.decode(t, options={'verify_signature': False})\n"),
        (True, "none_alg", "import jwt\n\ndef claims(t, k):\n    return jwt.decode(t, k, algorithms=['none'])\n"),
        (False, "verified", "import jwt\n\ndef claims(t, k):\n    return jwt.decode(t, k, algorithms=['HS256'])\n"),
        (False, "rs256", "import jwt\n\ndef claims(t, k):\n    return jwt.decode(t, k, algorithms=['RS256'], audience='api')\n"),
    ]),
    "debug": ([489], [
        (True, "flask_debug", "import flask\n\napp = flask.Flask(__name__)\napp.run(debug=True)\n"),
        (True, "flask_debug_attr", "import flask\n\napp = flask.Flask(__name__)\napp.debug = True\n"),
        (False, "flask_nodebug", "import flask\n\napp = flask.Flask(__name__)\napp.run(debug=False)\n"),
        (False, "flask_env", "import os\nimport flask\n\napp = flask.Flask(__name__)\napp.run(port=int(os.environ.get('PORT', '8000')))\n"),
    ]),
    "tempfile": ([377], [
        (True, "mktemp", "import tempfile\n\ndef f():\n    return tempfile.mktemp()\n"),
        (True, "tmp_path", "def f(d):\n    with open('/tmp/out.txt', 'w') as fh:\n        fh.write(d)\n"),
        (False, "mkstemp", "import tempfile\n\ndef f():\n    return tempfile.mkstemp()\n"),
        (False, "named", "import tempfile\n\ndef f(d):\n    with tempfile.NamedTemporaryFile('w') as fh:\n        fh.write(d)\n"),
    ]),
    "timeout": ([400], [
        (True, "get", "import requests\n\ndef f(u):\n    return requests.get(u)\n"),
        (True, "post", "import requests\n\ndef f(u, d):\n    return requests.post(u, json=d)\n"),
        (False, "get_timeout", "import requests\n\ndef f(u):\n    return requests.get(u, timeout=10)\n"),
        (False, "post_timeout", "import requests\n\ndef f(u, d):\n    return requests.post(u, json=d, timeout=(3, 10))\n"),
    ]),
    "logsecret": ([532], [
        (True, "password", "import logging\n\nlog = logging.getLogger(__name__)\n\ndef login(user, password):\n    log.info('login %s %s', user, password)\n"),
        (True, "api_key_fstring", "import logging\n\ndef call(api_key):\n    logging.debug(f'calling with {api_key}')\n"),
        (False, "user_only", "import logging\n\nlog = logging.getLogger(__name__)\n\ndef login(user, password):\n    log.info('login %s', user)\n"),
        (False, "literal", "import logging\n\ndef reset():\n    logging.info('password reset requested')\n"),
    ]),
    "cors": ([942], [
        (True, "flask_cors", "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, supports_credentials=True)\n"),
        (True, "fastapi", "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"),
        (False, "flask_cors_list", "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app, origins=['https://app.example.org'], supports_credentials=True)\n"),
        (False, "fastapi_list", "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['https://app.example.org'], allow_credentials=True)\n"),
    ]),
    "xxe": ([611], [
        (True, "lxml_entities", "from lxml import etree\n\nparser = etree.XMLParser(resolve_entities=True)\n"),
        (True, "sax_external", "import xml.sax\nfrom xml.sax.handler import feature_external_ges\n\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, True)\n"),
        (False, "lxml_safe", "from lxml import etree\n\nparser = etree.XMLParser(resolve_entities=False, no_network=True)\n"),
        (False, "defused", "import defusedxml.ElementTree as ET\n\ndef parse(s):\n    return ET.fromstring(s)\n"),
    ]),
}

# JavaScript cases in the style of AI-generated Express handlers: (class, label, name, code)
JS_CASES = [
    ("sqli", True, "express_concat", 'app.get("/u", (req, res) => {\n  db.query("SELECT * FROM users WHERE id = " + req.query.id, (e, r) => res.json(r));\n});\n'),
    ("sqli", True, "express_template", 'app.post("/u", async (req, res) => {\n  const { name } = req.body;\n  const rows = await pool.query(`SELECT * FROM users WHERE name = \'${name}\'`);\n  res.json(rows);\n});\n'),
    ("sqli", False, "express_placeholder", 'app.get("/u", (req, res) => {\n  db.query("SELECT * FROM users WHERE id = ?", [req.query.id], (e, r) => res.json(r));\n});\n'),
    ("sqli", False, "express_int", 'app.get("/u", (req, res) => {\n  const id = parseInt(req.query.id, 10);\n  db.query("SELECT * FROM users WHERE id = " + id, (e, r) => res.json(r));\n});\n'),
    ("cmdi", True, "exec_concat", 'const { exec } = require("child_process");\napp.get("/p", (req, res) => {\n  exec("ping -c 1 " + req.query.host, (e, out) => res.send(out));\n});\n'),
    ("cmdi", True, "execsync_template", 'const cp = require("child_process");\nfunction run(req, res) {\n  const out = cp.execSync(`ls ${req.body.dir}`);\n  res.send(out);\n}\n'),
    ("cmdi", False, "execfile_allowlist", 'const { execFile } = require("child_process");\nconst HOSTS = ["a.example.org"];\napp.get("/p", (req, res) => {\n  if (!HOSTS.includes(req.query.host)) return res.status(400).end();\n  execFile("ping", ["-c", "1", req.query.host], (e, out) => res.send(out));\n});\n'),
    ("cmdi", False, "exec_constant", 'const { exec } = require("child_process");\napp.get("/p", (req, res) => {\n  exec("uptime", (e, out) => res.send(out));\n});\n'),
    ("xss", True, "send_concat", 'app.get("/h", (req, res) => {\n  res.send("<h1>Hello " + req.query.name + "</h1>");\n});\n'),
    ("xss", True, "inner_html", 'function show() {\n  const q = new URLSearchParams(location.search).get("q");\n  document.getElementById("o").innerHTML = q;\n}\n'),
    ("xss", False, "send_escaped", 'const escapeHtml = require("escape-html");\napp.get("/h", (req, res) => {\n  res.send("<h1>Hello " + escapeHtml(req.query.name) + "</h1>");\n});\n'),
    ("xss", False, "text_content", 'function show() {\n  const q = new URLSearchParams(location.search).get("q");\n  document.getElementById("o").textContent = q;\n}\n'),
    ("pathtraver", True, "sendfile_join", 'const path = require("path");\napp.get("/f/:name", (req, res) => {\n  res.sendFile(path.join(__dirname, "files", req.params.name));\n});\n'),
    ("pathtraver", True, "readfile", 'const fs = require("fs");\napp.get("/f", (req, res) => {\n  fs.readFile("./data/" + req.query.file, (e, d) => res.send(d));\n});\n'),
    ("pathtraver", False, "basename", 'const fs = require("fs");\nconst path = require("path");\napp.get("/f", (req, res) => {\n  fs.readFile("./data/" + path.basename(req.query.file), (e, d) => res.send(d));\n});\n'),
    ("pathtraver", False, "constant", 'const fs = require("fs");\napp.get("/f", (req, res) => {\n  fs.readFile("./data/readme.txt", (e, d) => res.send(d));\n});\n'),
    ("ssrf", True, "axios_get", 'const axios = require("axios");\napp.get("/p", async (req, res) => {\n  const r = await axios.get(req.query.url);\n  res.send(r.data);\n});\n'),
    ("ssrf", True, "fetch", 'app.post("/p", async (req, res) => {\n  const r = await fetch(req.body.url);\n  res.send(await r.text());\n});\n'),
    ("ssrf", False, "allowlist", 'const axios = require("axios");\nconst OK = new Set(["https://api.example.org/x"]);\napp.get("/p", async (req, res) => {\n  if (!OK.has(req.query.url)) return res.status(400).end();\n  const r = await axios.get(req.query.url);\n  res.send(r.data);\n});\n'),
    ("ssrf", False, "constant", 'const axios = require("axios");\napp.get("/p", async (req, res) => {\n  const r = await axios.get("https://api.example.org/status");\n  res.send(r.data);\n});\n'),
    ("redirect", True, "redirect_next", 'app.get("/login", (req, res) => {\n  res.redirect(req.query.next);\n});\n'),
    ("redirect", False, "redirect_list", 'const PAGES = ["/home", "/me"];\napp.get("/login", (req, res) => {\n  const next = req.query.next;\n  if (PAGES.includes(next)) return res.redirect(next);\n  res.redirect("/home");\n});\n'),
    ("codeinj", True, "eval", 'app.get("/c", (req, res) => {\n  res.send(String(eval(req.query.expr)));\n});\n'),
    ("codeinj", True, "new_function", 'app.post("/c", (req, res) => {\n  const f = new Function("x", req.body.code);\n  res.send(String(f(1)));\n});\n'),
    ("codeinj", False, "json_parse", 'app.post("/c", (req, res) => {\n  res.send(JSON.parse(req.body.data));\n});\n'),
    ("codeinj", False, "timeout_fn", 'app.get("/c", (req, res) => {\n  setTimeout(() => res.send("ok"), 10);\n});\n'),
    ("nosql", True, "find_one_body", 'app.post("/login", async (req, res) => {\n  const u = await User.findOne({ name: req.body.name, password: req.body.password });\n  res.json(u);\n});\n'),
    ("nosql", False, "find_one_string", 'app.post("/login", async (req, res) => {\n  const u = await User.findOne({ name: String(req.body.name), password: String(req.body.password) });\n  res.json(u);\n});\n'),
    ("proto", True, "nested_assign", 'app.post("/s", (req, res) => {\n  const cfg = {};\n  cfg[req.body.a][req.body.b] = req.body.v;\n  res.end();\n});\n'),
    ("proto", True, "lodash_merge", 'const _ = require("lodash");\napp.post("/s", (req, res) => {\n  _.merge({}, req.body);\n  res.end();\n});\n'),
    ("proto", False, "map_set", 'app.post("/s", (req, res) => {\n  const cfg = new Map();\n  cfg.set(req.body.a, req.body.v);\n  res.end();\n});\n'),
    ("proto", False, "constant_keys", 'app.post("/s", (req, res) => {\n  const cfg = { a: {} };\n  cfg["a"]["b"] = req.body.v;\n  res.end();\n});\n'),
    ("hash", True, "md5", 'const crypto = require("crypto");\nfunction h(p) {\n  return crypto.createHash("md5").update(p).digest("hex");\n}\n'),
    ("hash", False, "sha256", 'const crypto = require("crypto");\nfunction h(p) {\n  return crypto.createHash("sha256").update(p).digest("hex");\n}\n'),
    ("securecookie", True, "cookie_plain", 'app.get("/l", (req, res) => {\n  res.cookie("session", token());\n  res.end();\n});\n'),
    ("securecookie", False, "cookie_secure", 'app.get("/l", (req, res) => {\n  res.cookie("session", token(), { secure: true, httpOnly: true });\n  res.end();\n});\n'),
    ("tls", True, "reject_unauthorized", 'const https = require("https");\nconst agent = new https.Agent({ rejectUnauthorized: false });\n'),
    ("tls", False, "ca", 'const https = require("https");\nconst fs = require("fs");\nconst agent = new https.Agent({ ca: fs.readFileSync("ca.pem") });\n'),
    ("jwt", True, "decode", 'const jwt = require("jsonwebtoken");\nfunction user(req) {\n  return jwt.decode(req.headers.authorization).sub;\n}\n'),
    ("jwt", False, "verify", 'const jwt = require("jsonwebtoken");\nfunction user(req, key) {\n  return jwt.verify(req.headers.authorization, key, { algorithms: ["HS256"] }).sub;\n}\n'),
    ("cors", True, "origin_true", 'const cors = require("cors");\napp.use(cors({ origin: true, credentials: true }));\n'),
    ("cors", False, "origin_list", 'const cors = require("cors");\napp.use(cors({ origin: ["https://app.example.org"], credentials: true }));\n'),
    ("weakrand", True, "math_random_token", 'function token() {\n  return Math.random().toString(36).slice(2);\n}\n'),
    ("weakrand", False, "random_bytes", 'const crypto = require("crypto");\nfunction token() {\n  return crypto.randomBytes(16).toString("hex");\n}\n'),
]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    classes = {}
    n = 0
    for cls, (cwe, sink, imports, sanitised_sink) in TAINT_CLASSES.items():
        classes[cls] = cwe
        for si, (source, sname) in enumerate(SOURCES):
            for pname, prop, keeps in PROPAGATIONS:
                # Rotate sources across propagations so every pair of steps is covered
                # without multiplying the suite.
                if (PROPAGATIONS.index((pname, prop, keeps)) + si) % len(SOURCES) != 0:
                    continue
                n += 1
                name = f"{cls}_{sname}_{pname}"
                label = "true" if keeps else "false"
                text = PY_HEADER.format(imports=imports, helpers=HELPERS, name=name, source=source,
                                        propagation=prop, sink=sink)
                write(os.path.join(OUT, cls, label, name + ".py"), text)
        # Class-specific sanitiser or safe API, with a tainted value.
        for source, sname in SOURCES[:2]:
            name = f"{cls}_{sname}_sanitised"
            text = PY_HEADER.format(imports=imports, helpers=HELPERS, name=name, source=source,
                                    propagation="bar = param", sink=sanitised_sink)
            write(os.path.join(OUT, cls, "false", name + ".py"), text)
    for cls, (cwe, cases) in PATTERN_CLASSES.items():
        classes[cls] = cwe
        for label, name, code in cases:
            write(os.path.join(OUT, cls, "true" if label else "false", f"{cls}_{name}.py"), code)
    js_only = {"nosql": [943], "proto": [1321]}
    for cls, label, name, code in JS_CASES:
        classes.setdefault(cls, js_only.get(cls, []))
        write(os.path.join(OUT, cls, "true" if label else "false", f"{cls}_{name}.js"), code)
    with open(os.path.join(HERE, "classes.json"), "w") as f:
        json.dump(classes, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
