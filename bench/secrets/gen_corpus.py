#!/usr/bin/env python3
"""Generate a labelled corpus for measuring secret detection accuracy.

Writes realistic small projects (config files, scripts, notebooks, bundles, docs) with
planted secrets and hard negatives (placeholders, environment and template references,
documented example keys, hashes, UUIDs, lockfile integrity strings, publishable keys,
public keys and certificates) under OUT/, and OUT/labels.tsv with one line per planted
secret: path, line, kind.

Token formats follow the providers' public documentation. Deterministic: the same seed
always writes the same corpus.

    python3 bench/secrets/gen_corpus.py OUT [--projects 60] [--seed 7]
"""
import argparse
import base64
import json
import os
import random
import string

ALNUM = string.ascii_letters + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def s(self, alphabet, n):
        while True:
            v = "".join(self.r.choice(alphabet) for _ in range(n))
            has_digits = any(c.isdigit() for c in alphabet)
            has_letters = any(c.isalpha() for c in alphabet)
            if n < 8 or not (has_digits and has_letters):
                return v
            if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
                return v

    def uuid(self):
        h = self.s(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.r.choice('89ab')}{h[17:20]}-{h[20:]}"

    def password(self):
        words = ["Summer", "River", "Falcon", "Orbit", "Maple", "Copper", "Nimbus", "Velvet"]
        style = self.r.randrange(3)
        if style == 0:
            return self.s(ALNUM, self.r.randint(12, 20)) + self.r.choice("!#%*-_.") + self.s(string.digits, 2)
        if style == 1:
            return self.r.choice(words) + self.r.choice("!#$%&*") + self.s(string.digits, 4) + self.s(ALNUM, 4)
        return self.s(ALNUM + "!#%&*-_=+.", self.r.randint(16, 28))

    def jwt(self, claims):
        def enc(obj):
            return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()
        return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(claims)}.{self.s(URLSAFE, 43)}"


def secret_kinds(g):
    """(kind, names, value factory). Names are what people call the variable."""
    return [
        ("aws-access-key-id", ["AWS_ACCESS_KEY_ID", "aws_access_key_id", "AccessKeyId"],
         lambda: "AKIA" + g.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
        ("aws-secret-access-key", ["AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "SecretAccessKey"],
         lambda: g.s(B64, 40)),
        ("github-pat", ["GITHUB_TOKEN", "GH_TOKEN", "github_token"], lambda: "ghp_" + g.s(ALNUM, 36)),
        ("github-fine-grained", ["GITHUB_PAT", "GH_PAT"], lambda: "github_pat_11" + g.s(UPPER_ALNUM, 20) + "_" + g.s(ALNUM, 59)),
        ("gitlab-pat", ["GITLAB_TOKEN", "CI_API_TOKEN", "gitlab_private_token"], lambda: "glpat-" + g.s(URLSAFE, 20)),
        ("slack-bot-token", ["SLACK_BOT_TOKEN", "slack_token", "SLACK_TOKEN"],
         lambda: f"xoxb-{g.s(string.digits, 12)}-{g.s(string.digits, 13)}-{g.s(ALNUM, 24)}"),
        ("slack-webhook", ["SLACK_WEBHOOK_URL", "slack_webhook", "webhook_url"],
         lambda: f"https://hooks.slack.com/services/T{g.s(UPPER_ALNUM, 10)}/B{g.s(UPPER_ALNUM, 10)}/{g.s(ALNUM, 24)}"),
        ("stripe-secret-key", ["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "stripe_key"], lambda: "sk_live_51" + g.s(ALNUM, 97)),
        ("stripe-restricted-key", ["STRIPE_RESTRICTED_KEY"], lambda: "rk_live_51" + g.s(ALNUM, 97)),
        ("openai-api-key", ["OPENAI_API_KEY", "openai_api_key", "OPENAI_KEY"],
         lambda: "sk-proj-" + g.s(URLSAFE, 74) + "T3BlbkFJ" + g.s(URLSAFE, 74)),
        ("anthropic-api-key", ["ANTHROPIC_API_KEY", "anthropic_key", "CLAUDE_API_KEY"],
         lambda: "sk-ant-api03-" + g.s(URLSAFE, 93) + "AA"),
        ("huggingface-token", ["HF_TOKEN", "HUGGINGFACE_TOKEN", "hf_token"], lambda: "hf_" + g.s(string.ascii_letters, 34)),
        ("groq-api-key", ["GROQ_API_KEY"], lambda: "gsk_" + g.s(ALNUM, 52)),
        ("sendgrid-api-key", ["SENDGRID_API_KEY", "sendgrid_key"], lambda: "SG." + g.s(URLSAFE, 22) + "." + g.s(URLSAFE, 43)),
        ("twilio-auth-token", ["TWILIO_AUTH_TOKEN", "twilio_auth_token"], lambda: g.s(HEX, 32)),
        ("npm-token", ["NPM_TOKEN", "NODE_AUTH_TOKEN"], lambda: "npm_" + g.s(ALNUM, 36)),
        ("digitalocean-token", ["DIGITALOCEAN_TOKEN", "DO_TOKEN"], lambda: "dop_v1_" + g.s(HEX, 64)),
        ("datadog-api-key", ["DD_API_KEY", "DATADOG_API_KEY", "datadog_api_key"], lambda: g.s(HEX, 32)),
        ("google-api-key", ["GOOGLE_API_KEY", "MAPS_API_KEY", "GEMINI_API_KEY"], lambda: "AIzaSy" + g.s(URLSAFE, 33)),
        ("sentry-auth-token", ["SENTRY_AUTH_TOKEN"], lambda: "sntryu_" + g.s(HEX, 64)),
        ("shopify-token", ["SHOPIFY_ACCESS_TOKEN", "shopify_token"], lambda: "shpat_" + g.s(HEX, 32)),
        ("databricks-token", ["DATABRICKS_TOKEN", "databricks_token"], lambda: "dapi" + g.s(HEX, 32)),
        ("vault-token", ["VAULT_TOKEN"], lambda: "hvs." + g.s(URLSAFE, 24)),
        ("notion-token", ["NOTION_TOKEN", "NOTION_API_KEY"], lambda: "ntn_" + g.s(string.digits, 11) + g.s(ALNUM, 35)),
        ("linear-api-key", ["LINEAR_API_KEY"], lambda: "lin_api_" + g.s(ALNUM, 40)),
        ("telegram-bot-token", ["TELEGRAM_BOT_TOKEN", "BOT_TOKEN"], lambda: f"{g.s(string.digits, 10)}:AA{g.s(URLSAFE, 33)}"),
        ("new-relic-key", ["NEW_RELIC_API_KEY"], lambda: "NRAK-" + g.s(UPPER_ALNUM, 27)),
        ("pulumi-token", ["PULUMI_ACCESS_TOKEN"], lambda: "pul-" + g.s(HEX, 40)),
        ("generic-password", ["DB_PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "admin_password", "SMTP_PASSWORD", "password"],
         g.password),
        ("generic-secret", ["SECRET_KEY", "JWT_SECRET", "client_secret", "APP_SECRET"], lambda: g.s(ALNUM + "-_", g.r.randint(32, 50))),
        ("generic-api-key", ["WEATHER_API_KEY", "MAPBOX_KEY", "api_key", "X_API_KEY", "PARTNER_API_KEY"], lambda: g.s(ALNUM, g.r.choice([24, 32, 40]))),
        ("supabase-service-jwt", ["SUPABASE_SERVICE_ROLE_KEY"],
         lambda: g.jwt({"iss": "supabase", "ref": g.s(string.ascii_lowercase, 20), "role": "service_role", "iat": 1712000000, "exp": 2027576000})),
    ]


URL_KINDS = [
    ("postgres-url", lambda g, pw: f"postgresql://app_{g.s(string.ascii_lowercase, 5)}:{pw}@db-{g.s(string.ascii_lowercase, 6)}.internal:5432/{g.r.choice(['orders', 'crm', 'billing'])}"),
    ("mysql-url", lambda g, pw: f"mysql://report:{pw}@10.{g.r.randint(0, 255)}.{g.r.randint(0, 255)}.{g.r.randint(1, 254)}:3306/finance"),
    ("mongodb-url", lambda g, pw: f"mongodb+srv://svc-{g.s(string.ascii_lowercase, 4)}:{pw}@cluster0.{g.s(string.ascii_lowercase, 5)}.mongodb.net/app?retryWrites=true"),
    ("redis-url", lambda g, pw: f"redis://default:{pw}@cache.{g.s(string.ascii_lowercase, 5)}.internal:6379/0"),
    ("amqp-url", lambda g, pw: f"amqp://worker:{pw}@mq.internal:5672/%2F"),
    ("smtp-url", lambda g, pw: f"smtp://alerts%40acme.example:{pw}@smtp.acme.example:587"),
]


def hard_negatives(g):
    """Lines that look like secrets but are not. (name, value) pairs, and raw lines."""
    pairs = [
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("OPENAI_API_KEY", "your-api-key-here"),
        ("STRIPE_SECRET_KEY", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
        ("STRIPE_PUBLISHABLE_KEY", "pk_live_51" + g.s(ALNUM, 97)),
        ("GITHUB_TOKEN", "${GITHUB_TOKEN}"),
        ("SLACK_TOKEN", "<SLACK_BOT_TOKEN>"),
        ("DB_PASSWORD", "changeme"),
        ("API_KEY", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("SECRET_KEY", "{{ secrets.SECRET_KEY }}"),
        ("REQUEST_ID", g.uuid()),
        ("COMMIT_SHA", g.s(HEX, 40)),
        ("CHECKSUM_SHA256", g.s(HEX, 64)),
        ("TOKEN_URL", "https://auth.acme.example/oauth/token"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("SENTRY_DSN", f"https://{g.s(HEX, 32)}@o{g.r.randint(10000, 99999)}.ingest.sentry.io/{g.r.randint(1000, 9999)}"),
        ("POSTHOG_KEY", "phc_" + g.s(ALNUM, 43)),
        ("MAPBOX_PUBLIC_TOKEN", "pk.eyJ1IjoiYWNtZSIsImEiOiJ" + g.s(ALNUM, 20) + "." + g.s(URLSAFE, 22)),
        ("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/test"),
        ("DATABASE_URL", "postgresql://app:${DB_PASSWORD}@db:5432/app"),
        ("SESSION_TOKEN_TTL", "3600"),
        ("TOKEN_TYPE", "Bearer"),
        ("SECRET_NAME", "prod/payments/stripe"),
        ("API_KEY_HEADER", "X-API-Key"),
        ("PASSWORD_HASH", "$2b$12$" + g.s(ALNUM + "./", 53)),
    ]
    code = [
        'api_key = os.environ["API_KEY"]',
        'token = os.getenv("GITHUB_TOKEN")',
        'password = getpass.getpass("Password: ")',
        'const apiKey = process.env.OPENAI_API_KEY;',
        'headers = {"Authorization": f"Bearer {token}"}',
        'secret = vault.read("secret/data/payments")["data"]["key"]',
        'if not password:',
        'token = response.json()["access_token"]',
        '    "integrity": "sha512-' + base64.b64encode(bytes(g.r.randrange(256) for _ in range(64))).decode() + '",',
        'user_id = "' + g.uuid() + '"',
        'self.password = password',
        'api_key: str = Field(..., description="Your API key")',
        '# Set OPENAI_API_KEY=sk-... in your environment first',
        'img = "data:image/png;base64,' + base64.b64encode(bytes(g.r.randrange(256) for _ in range(90))).decode() + '"',
        'ssh_pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + g.s(B64, 43) + ' ops@bastion"',
        'cache_key = hashlib.sha256(payload).hexdigest()  # e.g. ' + g.s(HEX, 64),
        'TOKEN_PATTERN = re.compile(r"ghp_[A-Za-z0-9]{36}")',
        'password_reset_url = f"{BASE}/reset/{user.id}"',
    ]
    return pairs, code


def fmt_line(fmt, name, value, g):
    lower = name.lower()
    camel = lower.split("_")[0] + "".join(p.title() for p in lower.split("_")[1:])
    if fmt == "env":
        return f'{name}="{value}"' if g.r.random() < 0.3 else f"{name}={value}"
    if fmt == "yaml":
        return f'  {lower}: "{value}"' if g.r.random() < 0.4 else f"  {lower}: {value}"
    if fmt == "json":
        return f'    "{camel}": "{value}",'
    if fmt in ("toml", "tf"):
        return f'{lower} = "{value}"' if fmt == "toml" else f'  {lower} = "{value}"'
    if fmt == "ini":
        return f"{lower} = {value}"
    if fmt == "sh":
        return f'export {name}="{value}"'
    if fmt == "docker":
        return f"ENV {name}={value}"
    if fmt == "py":
        return f'{name} = "{value}"' if g.r.random() < 0.6 else f'    {lower}="{value}",'
    if fmt == "js":
        return f'const {camel} = "{value}";' if g.r.random() < 0.5 else f"  {camel}: '{value}',"
    if fmt == "md":
        return f"export {name}={value}"
    raise ValueError(fmt)


FILLER = {
    "env": ["APP_ENV=production", "LOG_LEVEL=info", "PORT=8080", "FEATURE_FLAGS=reports,exports", "TZ=Europe/Paris"],
    "yaml": ["service:", "  name: invoice-sync", "  replicas: 2", "  region: eu-west-1", "  schedule: '0 6 * * 1-5'"],
    "json": ['    "name": "report-bot",', '    "version": "1.4.2",', '    "timeout": 30,', '    "retries": 3,'],
    "toml": ['[service]', 'name = "crm-export"', 'batch_size = 500', 'enabled = true'],
    "ini": ["[database]", "host = db.internal", "port = 5432", "[smtp]", "host = smtp.acme.example"],
    "tf": ['resource "aws_s3_bucket" "reports" {', '  bucket = "acme-reports"', '  tags = { team = "finance" }', "}"],
    "sh": ["#!/usr/bin/env bash", "set -euo pipefail", 'cd "$(dirname "$0")"', 'python3 sync.py --since "$1"'],
    "docker": ["FROM python:3.12-slim", "WORKDIR /app", "COPY requirements.txt .", "RUN pip install -r requirements.txt", 'CMD ["python", "main.py"]'],
    "py": ["import os", "import requests", "", "def fetch(url):", "    return requests.get(url, timeout=10).json()", "", "if __name__ == '__main__':", "    main()"],
    "js": ["import fetch from 'node-fetch';", "", "export async function load(url) {", "  const res = await fetch(url);", "  return res.json();", "}"],
    "md": ["# Setup", "", "Run the export every morning:", "", "```sh", "```", "Ask #data-help if it fails."],
}
EXT = {"env": ".env", "yaml": "config.yaml", "json": "settings.json", "toml": "pyproject.toml", "ini": "app.ini", "tf": "main.tf",
       "sh": "deploy.sh", "docker": "Dockerfile", "py": "sync.py", "js": "client.js", "md": "README.md"}


def project(g, idx, out, labels):
    name = f"project-{idx:03d}"
    kinds = secret_kinds(g)
    neg_pairs, neg_code = hard_negatives(g)
    for fmt in g.r.sample(list(EXT), k=g.r.randint(4, 8)):
        lines = list(FILLER[fmt])
        planted = []
        for _ in range(g.r.randint(0, 3)):
            kind, names, make = g.r.choice(kinds)
            planted.append((kind, fmt_line(fmt, g.r.choice(names), make(), g)))
        if g.r.random() < 0.3:
            kind, url = g.r.choice(URL_KINDS)
            planted.append((kind, fmt_line(fmt, "DATABASE_URL", url(g, g.password().replace("@", "").replace(":", "").replace("/", "")), g)))
        negatives = [fmt_line(fmt, n, v, g) for n, v in g.r.sample(neg_pairs, k=g.r.randint(2, 6))]
        if fmt in ("py", "js"):
            negatives += g.r.sample(neg_code, k=g.r.randint(2, 5))
        body = [(None, l) for l in lines] + [(None, l) for l in negatives] + planted
        g.r.shuffle(body)
        if fmt == "md":
            body = [(None, "# Setup"), (None, "```sh")] + body + [(None, "```")]
        if fmt == "sh":
            body = [(None, "#!/usr/bin/env bash")] + body
        rel = f"{name}/{EXT[fmt]}"
        write(out, rel, body, labels)
    if g.r.random() < 0.35:
        notebook(g, name, out, labels, kinds)
    if g.r.random() < 0.3:
        bundle(g, name, out, labels, kinds)
    if g.r.random() < 0.2:
        private_key(g, name, out, labels)
    if g.r.random() < 0.3:
        lockfile(g, name, out)


def write(out, rel, body, labels):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for n, (kind, line) in enumerate(body, start=1):
            f.write(line + "\n")
            if kind:
                labels.append((rel, n, kind))


def notebook(g, name, out, labels, kinds):
    kind, names, make = g.r.choice(kinds)
    src = ["import pandas as pd\n", f'{g.r.choice(names)} = "{make()}"\n', "df = pd.read_csv('orders.csv')\n", "df.head()"]
    nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": src}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(nb, indent=1)
    rel = f"{name}/analysis.ipynb"
    lines = text.split("\n")
    body = []
    for line in lines:
        k = kind if '= \\"' in line and "read_csv" not in line else None
        body.append((k, line))
    write(out, rel, body, labels)


def bundle(g, name, out, labels, kinds):
    kind, names, make = g.r.choice(kinds)
    parts = []
    while sum(map(len, parts)) < 60000:
        parts.append(f"function f{len(parts)}(a){{return a.map(function(b){{return b*{len(parts)}}})}};")
    at = g.r.randrange(len(parts))
    parts.insert(at, f'var cfg={{apiKey:"{make()}",region:"eu"}};')
    rel = f"{name}/dist/app.min.js"
    write(out, rel, [(None, "/*! app v1.0.0 */"), (kind, "".join(parts))], labels)


def private_key(g, name, out, labels):
    label = g.r.choice(["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"])
    body = [(("private-key"), f"-----BEGIN {label}-----")]
    for _ in range(g.r.randint(6, 25)):
        body.append((None, g.s(B64, 64)))
    body.append((None, g.s(B64, 20) + "=="))
    body.append((None, f"-----END {label}-----"))
    write(out, f"{name}/deploy/id_{g.s(string.ascii_lowercase, 5)}", body, labels)
    cert = [(None, "-----BEGIN CERTIFICATE-----")] + [(None, g.s(B64, 64)) for _ in range(10)] + [(None, "-----END CERTIFICATE-----")]
    write(out, f"{name}/deploy/server.crt", cert, labels)


def lockfile(g, name, out):
    deps = {}
    for pkg in ["express", "lodash", "axios", "dotenv", "zod"]:
        deps[f"node_modules/{pkg}"] = {
            "version": f"{g.r.randint(1, 5)}.{g.r.randint(0, 20)}.{g.r.randint(0, 9)}",
            "resolved": f"https://registry.example.invalid/{pkg}/-/{pkg}.tgz",
            "integrity": "sha512-" + base64.b64encode(bytes(g.r.randrange(256) for _ in range(64))).decode(),
        }
    path = os.path.join(out, name, "package-lock.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"name": name, "lockfileVersion": 3, "packages": deps}, f, indent=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--projects", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    g = Gen(args.seed)
    labels = []
    for i in range(args.projects):
        project(g, i, args.out, labels)
    with open(os.path.join(args.out, "labels.tsv"), "w") as f:
        f.write("path\tline\tkind\n")
        for rel, line, kind in labels:
            f.write(f"{rel}\t{line}\t{kind}\n")
    print(f"wrote {args.projects} projects, {len(labels)} planted secrets to {args.out}")


if __name__ == "__main__":
    main()
