//! Behaviour of the taint engine on small programs: what it must follow, and what it must
//! prove safe (constant folding, dead branches, constant collection elements, sanitisers,
//! allow-lists), plus how it treats bad input.

use corral_code::{CodeScanner, RuleSources};
use corral_model::{ScanOutput, SourceFile};

fn scan(path: &str, code: &str) -> ScanOutput {
    let scanner = CodeScanner::new().expect("built-in rules load");
    let mut out = ScanOutput::default();
    scanner.scan_source(&SourceFile::whole(path, code.as_bytes()), &mut out);
    out
}

fn rules_found(path: &str, code: &str) -> Vec<String> {
    scan(path, code)
        .findings
        .into_iter()
        .map(|f| format!("{}:{}", f.rule_id, f.location.line))
        .collect()
}

const FLASK: &str = "import os\nimport flask\nfrom flask import request\n";

#[test]
fn a_tainted_argument_is_followed_into_a_helper_and_back_out() {
    let code = format!(
        "{FLASK}def wrap(v):\n    return 'echo ' + v\n\ndef handler():\n    cmd = wrap(request.args['x'])\n    os.system(cmd)\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:9"]);
}

#[test]
fn a_sink_inside_a_helper_is_reported_when_a_caller_passes_tainted_data() {
    let code = format!(
        "{FLASK}def run(v):\n    os.system(v)\n\ndef handler():\n    run(request.args['x'])\n\ndef other():\n    run('uptime')\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:5"]);
}

#[test]
fn constant_folded_conditions_decide_which_branch_runs() {
    let code = format!(
        "{FLASK}def handler():\n    param = request.args['x']\n    num = 86\n    if (7 * 42) - num > 200:\n        bar = 'safe'\n    else:\n        bar = param\n    os.system(bar)\n"
    );
    assert!(rules_found("a.py", &code).is_empty());
    let live = code.replace("num = 86", "num = 196");
    assert_eq!(rules_found("a.py", &live), vec!["py-command-injection:11"]);
}

#[test]
fn a_constant_element_of_a_list_holding_tainted_data_is_clean() {
    let code = format!(
        "{FLASK}def handler():\n    lst = ['safe', request.args['x']]\n    os.system(lst[0])\n    os.system(lst[1])\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:7"]);
}

#[test]
fn string_indexing_folds_so_a_switch_on_a_constant_takes_one_case() {
    let code = format!(
        "{FLASK}def handler():\n    p = request.args['x']\n    t = 'ABC'[1]\n    if t == 'A':\n        bar = p\n    elif t == 'B':\n        bar = 'bob'\n    else:\n        bar = p\n    os.system(bar)\n"
    );
    assert!(rules_found("a.py", &code).is_empty());
}

#[test]
fn a_sanitiser_clears_only_the_kinds_it_protects_against() {
    let code = format!(
        "import shlex\nimport sqlite3\n{FLASK}def handler():\n    q = shlex.quote(request.args['x'])\n    os.system('ls ' + q)\n    sqlite3.connect('d').execute('SELECT ' + q)\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-sql-injection:9"]);
}

#[test]
fn an_allow_list_check_that_returns_guards_the_code_after_it() {
    let code = format!(
        "{FLASK}OK = ['a', 'b']\n\ndef handler():\n    x = request.args['x']\n    if x not in OK:\n        flask.abort(400)\n    os.system('ls ' + x)\n"
    );
    assert!(rules_found("a.py", &code).is_empty());
    let unguarded = code.replace("        flask.abort(400)\n", "        print('odd')\n");
    assert_eq!(
        rules_found("a.py", &unguarded),
        vec!["py-command-injection:10"]
    );
}

#[test]
fn flask_route_parameters_are_sources_unless_converted_to_numbers() {
    let code = format!(
        "{FLASK}app = flask.Flask(__name__)\n\n@app.route('/a/<name>/<int:n>')\ndef a(name, n):\n    os.system('ls ' + str(n))\n    os.system('ls ' + name)\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:9"]);
}

#[test]
fn express_handlers_taint_their_request_and_destructured_fields() {
    let code = "const { exec } = require('node:child_process');\napp.post('/x', (req, res) => {\n  const { host } = req.body;\n  exec(`ping ${host}`);\n});\n";
    assert_eq!(rules_found("a.ts", code), vec!["js-command-injection:4"]);
}

#[test]
fn findings_carry_cwe_source_and_a_line_independent_fingerprint() {
    let code = format!("{FLASK}def handler():\n    os.system(request.args['x'])\n");
    let f = &scan("svc/app.py", &code).findings[0];
    assert_eq!(f.cwe, vec![78]);
    assert_eq!(f.scanner, "code");
    assert_eq!(f.location.path, "svc/app.py");
    assert!(
        f.message.contains("Flask request (line 5)"),
        "{}",
        f.message
    );
    assert_eq!(f.details["source"], "Flask request");
    let shifted = scan("svc/app.py", &format!("\n\n{code}"));
    assert_eq!(shifted.findings[0].fingerprint, f.fingerprint);
    assert_eq!(shifted.findings[0].location.line, f.location.line + 2);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_skipped() {
    let out = scan(
        "bad.py",
        "import os\nos.system(input(\n)))) ((( ]]] def def def ::: !!! @@@ ))) ]]] ::: def\n",
    );
    assert!(out.findings.is_empty());
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].path, "bad.py");
    assert!(
        out.errors[0].message.contains("not valid python"),
        "{}",
        out.errors[0].message
    );
}

#[test]
fn deeply_nested_hostile_input_neither_crashes_nor_hangs() {
    let mut code = String::from("import os\nx = ");
    code.push_str(&"(".repeat(5000));
    code.push('1');
    code.push_str(&")".repeat(5000));
    code.push_str("\nos.system(x + input())\n");
    let out = scan("deep.py", &code);
    assert!(out.errors.is_empty() || !out.errors[0].message.is_empty());
}

#[test]
fn files_without_relevant_keywords_are_not_parsed_at_all() {
    // Garbage that would be a parse error is never looked at when no rule can match.
    let out = scan("plain.py", "))))((((\n");
    assert!(out.errors.is_empty());
    assert!(out.findings.is_empty());
}

#[test]
fn user_rules_load_beside_the_built_in_ones_and_broken_ones_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("no-pprint.yaml"),
        r#"
id: team-no-pprint
language: python
title: pprint left in code
severity: low
confidence: high
cwe: [489]
owasp: "A05:2021 Security Misconfiguration"
message: "remove `{callee}`"
patterns: ["pprint.pprint(...)"]
docs: {what: a, why: b, example: c, fix: d}
"#,
    )
    .unwrap();
    let mut sources = RuleSources::builtin();
    sources.add_dir(dir.path()).unwrap();
    let scanner = CodeScanner::with_rules(&sources).unwrap();
    let mut out = ScanOutput::default();
    scanner.scan_source(
        &SourceFile::whole("x.py", b"import pprint\npprint.pprint(1)\n"),
        &mut out,
    );
    assert_eq!(out.findings.len(), 1);
    assert_eq!(out.findings[0].rule_id, "team-no-pprint");

    std::fs::write(
        dir.path().join("broken.yaml"),
        "id: team-broken\nlanguage: cobol\n",
    )
    .unwrap();
    let mut sources = RuleSources::builtin();
    sources.add_dir(dir.path()).unwrap();
    let errors = CodeScanner::with_rules(&sources).unwrap_err();
    assert_eq!(errors.len(), 1);
    let text = errors[0].to_string();
    assert!(
        text.contains("broken.yaml") && text.contains("language"),
        "{text}"
    );
}

#[test]
fn a_dict_lookup_with_an_unknown_key_picks_one_of_the_known_values_not_the_key() {
    let code = format!(
        "{FLASK}OPS = {{'a': 'uptime', 'b': 'date'}}\n\ndef handler():\n    cmd = OPS.get(request.args['op'], 'true')\n    os.system(cmd)\n\ndef other():\n    mixed = {{'a': 'uptime', 'b': request.args['x']}}\n    os.system(mixed.get(request.args['op']))\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:12"]);
}

#[test]
fn config_parser_options_keep_their_own_values() {
    let code = format!(
        "{FLASK}import configparser\n\ndef handler():\n    conf = configparser.ConfigParser()\n    conf.add_section('s')\n    conf.set('s', 'a', 'uptime')\n    conf.set('s', 'b', request.args['x'])\n    os.system(conf.get('s', 'a'))\n    os.system(conf.get('s', 'b'))\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:12"]);
}

#[test]
fn text_written_into_a_buffer_taints_what_the_buffer_returns() {
    let code = format!(
        "{FLASK}import io\n\ndef handler():\n    buf = io.StringIO()\n    buf.write('echo ')\n    buf.write(request.args['x'])\n    os.system(buf.getvalue())\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:10"]);
}

#[test]
fn removing_a_constant_element_shifts_the_known_elements() {
    let code = format!(
        "{FLASK}def handler():\n    items = ['a', request.args['x'], 'c']\n    items.remove('a')\n    os.system(items[1])\n    os.system(items[0])\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:8"]);
}

#[test]
fn a_comprehension_is_as_tainted_as_its_element_expression() {
    let code = format!(
        "{FLASK}import sqlite3\n\ndef handler():\n    values = request.args.getlist('t')\n    cur = sqlite3.connect('d').cursor()\n    marks = ', '.join('?' for _ in values)\n    cur.execute('SELECT 1 WHERE t IN (' + marks + ')', values)\n    quoted = ', '.join([\"'\" + v + \"'\" for v in values])\n    cur.execute('SELECT 1 WHERE t IN (' + quoted + ')')\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-sql-injection:12"]);
}

#[test]
fn methods_of_a_class_of_the_file_are_followed_through_an_instance() {
    let code = format!(
        "{FLASK}class Wrapper:\n    def keep(self, v):\n        return '[' + v + ']'\n\n    def drop(self, v):\n        return '[fixed]'\n\ndef handler():\n    os.system(Wrapper().drop(request.args['x']))\n    w = Wrapper()\n    os.system(w.keep(request.args['x']))\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:14"]);
}

#[test]
fn checking_one_field_of_a_request_proves_nothing_about_the_others() {
    let code = "from django.shortcuts import redirect\n\ndef view(request):\n    if request.method == 'POST':\n        return redirect(request.POST.get('next', '/'))\n    if request.GET.get('mode') == 'x':\n        return redirect('/home')\n";
    assert_eq!(rules_found("views.py", code), vec!["py-open-redirect:5"]);
    let checked = "from django.shortcuts import redirect\n\nPAGES = ['/a', '/b']\n\ndef view(request):\n    if request.method == 'POST' and request.POST.next in PAGES:\n        return redirect(request.POST.next)\n    return redirect('/')\n";
    assert!(rules_found("views.py", checked).is_empty());
}

#[test]
fn an_argument_list_runs_untrusted_input_only_as_the_program_or_a_shell_command() {
    let code = format!(
        "import subprocess\n{FLASK}def handler():\n    host = request.args['host']\n    subprocess.run(['ping', '-c', '1', host])\n    cmd = ['tar', '-czf', 'out.tgz', '--']\n    cmd.append(host)\n    subprocess.call(cmd)\n    subprocess.run([host, '--version'])\n    subprocess.run(['bash', '-c', 'ping ' + host])\n    subprocess.run(['ping', host], shell=True)\n    subprocess.run('ping ' + host)\n    subprocess.run(['sh', 'script.sh', host])\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec![
            "py-command-injection:11",
            "py-command-injection:12",
            "py-command-injection:13",
            "py-command-injection:14",
        ]
    );
}

#[test]
fn a_variable_overwritten_in_a_loop_that_surely_runs_is_the_constant() {
    let code = format!(
        "{FLASK}def handler():\n    bar = request.args['x']\n    for _ in range(3):\n        bar = 'date'\n    os.system(bar)\n\ndef maybe():\n    bar = request.args['x']\n    for _ in range(int(request.args['n'])):\n        bar = 'date'\n    os.system(bar)\n\ndef skipped():\n    bar = request.args['x']\n    for i in range(3):\n        if i == int(request.args['n']):\n            continue\n        bar = 'date'\n    os.system(bar)\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec!["py-command-injection:14", "py-command-injection:22"]
    );
}

#[test]
fn a_resolved_path_checked_against_its_base_directory_is_a_path_guard() {
    let code = format!(
        "{FLASK}from pathlib import Path\nBASE = os.path.realpath('/srv/docs')\nROOT = Path('/srv/docs').resolve()\n\ndef checked():\n    full = os.path.realpath(os.path.join(BASE, request.args['doc']))\n    if not full.startswith(BASE + os.sep):\n        flask.abort(403)\n    os.system('cat ' + full)\n    return open(full).read()\n\ndef common():\n    full = os.path.abspath(os.path.join(BASE, request.args['doc']))\n    if os.path.commonpath([BASE, full]) != BASE:\n        flask.abort(403)\n    return open(full).read()\n\ndef relative():\n    target = (ROOT / request.args['doc']).resolve()\n    if not target.is_relative_to(ROOT):\n        flask.abort(403)\n    return target.read_text()\n\ndef unresolved():\n    full = os.path.join(BASE, request.args['doc'])\n    if not full.startswith(BASE):\n        flask.abort(403)\n    return open(full).read()\n\ndef pathlib_read():\n    return (ROOT / request.args['doc']).read_text()\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec![
            "py-command-injection:12",
            "py-path-traversal:31",
            "py-path-traversal:34",
        ]
    );
}

#[test]
fn a_constant_prefix_that_fixes_scheme_and_host_keeps_a_url_on_that_host() {
    let code = format!(
        "import requests\nfrom urllib.parse import quote\n{FLASK}def fixed():\n    name = request.args['name']\n    requests.get('https://api.example.org/users/' + quote(name) + '/repos', timeout=5)\n    requests.get(f'https://api.example.org/users/{{name}}', timeout=5)\n    requests.get('https://api.example.org/u/%s' % name, timeout=5)\n    requests.get('https://api.example.org/u/{{}}'.format(name), timeout=5)\n    return flask.redirect('/profile/' + name)\n\ndef open_ended():\n    name = request.args['name']\n    requests.get('https://api.example.org' + name, timeout=5)\n    requests.get(f'https://{{name}}.example.org/', timeout=5)\n    return flask.redirect('/' + name)\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec!["py-ssrf:16", "py-ssrf:17", "py-open-redirect:18"]
    );
}

#[test]
fn a_check_of_a_parsed_urls_host_proves_where_the_url_points() {
    let code = format!(
        "import requests\nfrom urllib.parse import urlparse\n{FLASK}HOSTS = {{'docs.example.org'}}\n\ndef preview():\n    url = request.json['url']\n    parsed = urlparse(url)\n    if parsed.scheme != 'https' or parsed.hostname not in HOSTS:\n        flask.abort(400)\n    return requests.get(url, timeout=5).text\n\ndef relative_only():\n    target = request.args.get('next') or '/'\n    parts = urlparse(target)\n    if parts.netloc or parts.scheme:\n        target = '/'\n    return flask.redirect(target)\n\ndef scheme_only():\n    target = request.args['next']\n    if urlparse(target).scheme:\n        flask.abort(400)\n    return flask.redirect(target)\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-open-redirect:26"]);
}

#[test]
fn a_helper_returning_a_host_check_validates_its_argument() {
    let code = format!(
        "from urllib.parse import urljoin, urlparse\n{FLASK}def is_safe_url(target):\n    ref_url = urlparse(request.host_url)\n    test_url = urlparse(urljoin(request.host_url, target))\n    return test_url.scheme in ('http', 'https') and ref_url.netloc == test_url.netloc\n\ndef allowed(url):\n    if urlparse(url).netloc:\n        return False\n    return True\n\ndef is_short(url):\n    return len(url) < 50\n\ndef login():\n    next_page = request.args.get('next')\n    if not next_page or not is_safe_url(next_page):\n        next_page = '/'\n    return flask.redirect(next_page)\n\ndef local():\n    next_page = request.args['next']\n    if not allowed(next_page):\n        flask.abort(400)\n    return flask.redirect(next_page)\n\ndef short():\n    next_page = request.args['next']\n    if is_short(next_page):\n        return flask.redirect(next_page)\n    return flask.redirect('/')\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-open-redirect:33"]);
}

#[test]
fn parameters_of_a_function_nothing_in_the_file_calls_reach_injection_sinks_only() {
    let code = "import sqlite3\nimport subprocess\nimport requests\n\ndef remove_user(username):\n    cur = sqlite3.connect('d').cursor()\n    cur.execute(\"DELETE FROM users WHERE name = '%s'\" % username)\n    cur.execute('DELETE FROM users WHERE name = ?', (username,))\n    requests.get(username, timeout=5)\n    return open(username).read()\n\ndef helper(table):\n    sqlite3.connect('d').execute('SELECT * FROM ' + table)\n\ndef main():\n    helper('users')\n\ndef by_id(user_id: int):\n    sqlite3.connect('d').execute('SELECT * FROM t WHERE id = %d' % user_id)\n";
    assert_eq!(rules_found("a.py", code), vec!["py-sql-injection:7"]);
}

#[test]
fn a_file_holding_only_an_uncalled_function_keeps_its_sink_for_the_parameter_source() {
    let code = "import mysql.connector\n\ndef remove_user(username):\n    db = mysql.connector.connect(host='localhost', user='app')\n    cursor = db.cursor()\n    cursor.execute(\"DELETE FROM users WHERE username = '%s'\" % username)\n    db.commit()\n";
    assert_eq!(rules_found("a.py", code), vec!["py-sql-injection:6"]);
}

#[test]
fn a_list_concatenation_keeps_the_known_program_in_front() {
    let code = format!(
        "import subprocess\n{FLASK}def handler():\n    extra = request.args.getlist('flag')\n    subprocess.run(['ls', '-l'] + extra)\n    subprocess.run(['sh', '-c'] + extra)\n    subprocess.run(extra + ['-l'])\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec!["py-command-injection:8", "py-command-injection:9"]
    );
}

#[test]
fn a_camel_case_secret_name_alone_lets_the_log_rules_run() {
    let js = "function refresh(accessToken) {\n  console.log('refreshed', accessToken);\n}\nconst config = { dbPassword: 'x' };\nconsole.debug('config', config.dbPassword);\n";
    assert_eq!(
        rules_found("a.js", js),
        vec!["js-secret-in-log:2", "js-secret-in-log:5"]
    );
    let py = "import logging\n\ndef connect(dbPassword):\n    logging.info('connecting with %s', dbPassword)\n";
    assert_eq!(rules_found("a.py", py), vec!["py-secret-in-log:4"]);
}

#[test]
fn a_javascript_property_read_with_a_constant_string_is_the_same_as_a_dot() {
    let code = "const { exec } = require('child_process');\nprocess.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';\nfunction h(req, res) {\n  exec('ls ' + req['query']['dir']);\n  const o = { safe: 'x', bad: req.query.x };\n  exec('ls ' + o['safe']);\n}\n";
    assert_eq!(
        rules_found("a.js", code),
        vec!["js-tls-verify-disabled:2", "js-command-injection:4"]
    );
}

#[test]
fn keyword_arguments_collected_by_a_double_star_parameter_keep_their_names() {
    let code = format!(
        "{FLASK}def build(**parts):\n    return 'ls ' + parts['path']\n\ndef label(**parts):\n    return 'ls ' + parts['label']\n\ndef handler():\n    x = request.args['x']\n    os.system(build(path=x, label='fixed'))\n    os.system(label(path=x, label='fixed'))\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:12"]);
}

#[test]
fn setattr_and_getattr_with_constant_names_are_attribute_writes_and_reads() {
    let code = format!(
        "{FLASK}class Box:\n    cmd = 'uptime'\n    note = ''\n\ndef handler():\n    b = Box()\n    setattr(b, 'note', request.args['x'])\n    os.system(getattr(b, 'cmd'))\n    os.system(getattr(b, 'note'))\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-command-injection:12"]);
}

#[test]
fn a_parsed_url_whose_host_is_checked_is_safe_itself_not_only_its_text() {
    let js = "const ALLOWED = ['hooks.example.com'];\nasync function ok(req, res) {\n  const target = new URL(String(req.body.callback));\n  if (!ALLOWED.includes(target.hostname)) {\n    return res.status(400).end();\n  }\n  await fetch(target.href);\n}\nasync function unchecked(req, res) {\n  const target = new URL(String(req.body.callback));\n  await fetch(target.href);\n}\n";
    assert_eq!(rules_found("a.js", js), vec!["js-ssrf:11"]);
    let py = format!(
        "import requests\nfrom urllib.parse import urlparse\n{FLASK}ALLOWED = {{'api.example.org'}}\n\ndef ok():\n    parsed = urlparse(request.args['u'])\n    if parsed.hostname not in ALLOWED:\n        flask.abort(400)\n    return requests.get(parsed.geturl(), timeout=5).text\n\ndef unchecked():\n    parsed = urlparse(request.args['u'])\n    return requests.get(parsed.geturl(), timeout=5).text\n"
    );
    assert_eq!(rules_found("a.py", &py), vec!["py-ssrf:16"]);
}

#[test]
fn a_merge_that_skips_prototype_keys_does_not_pollute_the_prototype() {
    let merge = |guard: &str| {
        format!(
            "const DENY = ['__proto__', 'constructor'];\nfunction merge(target, source) {{\n  for (const key of Object.keys(source)) {{\n    {guard}\n    if (typeof source[key] === 'object') {{\n      target[key] = target[key] || {{}};\n      merge(target[key], source[key]);\n    }} else {{\n      target[key] = source[key];\n    }}\n  }}\n}}\nfunction handler(req, res) {{\n  merge({{}}, req.body);\n}}\n"
        )
    };
    assert!(rules_found("a.js", &merge("if (DENY.includes(key)) continue;")).is_empty());
    assert!(
        rules_found(
            "a.js",
            &merge("if (key === '__proto__' || key === 'constructor') continue;")
        )
        .is_empty()
    );
    assert!(!rules_found("a.js", &merge("if (key === 'id') continue;")).is_empty());
    assert!(!rules_found("a.js", &merge("")).is_empty());
}

#[test]
fn a_common_path_compared_with_a_constant_base_proves_the_resolved_path_inside() {
    let code = format!(
        "{FLASK}ROOT = '/var/log/app'\n\ndef inside():\n    target = os.path.realpath(os.path.join(ROOT, request.args['f']))\n    if os.path.commonpath([ROOT, target]) != ROOT:\n        flask.abort(400)\n    return open(target).read()\n\ndef unresolved():\n    target = os.path.join(ROOT, request.args['f'])\n    if os.path.commonpath([ROOT, target]) != ROOT:\n        flask.abort(400)\n    return open(target).read()\n"
    );
    assert_eq!(rules_found("a.py", &code), vec!["py-path-traversal:16"]);
}

#[test]
fn a_typeof_check_proves_what_the_type_rules_out() {
    let code = "const { exec } = require('child_process');\nasync function h(req, res) {\n  const n = req.query.n;\n  if (typeof n !== 'number') {\n    return res.status(400).end();\n  }\n  exec('ls ' + n);\n}\nasync function g(req, res) {\n  const s = req.query.s;\n  if (typeof s !== 'string') {\n    return res.status(400).end();\n  }\n  exec('ls ' + s);\n  await users.findOne({ name: s });\n}\n";
    assert_eq!(rules_found("a.js", code), vec!["js-command-injection:14"]);
}

#[test]
fn a_constructor_sets_the_fields_its_methods_read() {
    let code = format!(
        "{FLASK}class Job:\n    def __init__(self, arg):\n        self.arg = arg\n        self.tool = 'uptime'\n\n    def command(self):\n        return 'run ' + self.arg\n\n    def fixed(self):\n        return self.tool\n\n    def render(self):\n        return 'echo ' + self.arg\n\ndef handler():\n    job = Job(request.args['x'])\n    os.system(job.fixed())\n    os.system(job.command())\n    os.system(Job(request.args['y']).render())\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec!["py-command-injection:21", "py-command-injection:22"]
    );
}

#[test]
fn methods_that_fill_a_field_and_property_getters_are_followed() {
    let code = format!(
        "import collections\n{FLASK}class Cmd:\n    def __init__(self, args):\n        self.parts = ['ls']\n        self._args = args\n\n    def add(self, part):\n        self.parts.append(part)\n        return self\n\n    def line(self):\n        return ' '.join(self.parts)\n\n    @property\n    def target(self):\n        return self._args.get('t', '/')\n\ndef handler():\n    os.system(Cmd(None).add('-l').line())\n    os.system(Cmd(None).add(request.args['x']).line())\n    os.system(Cmd(request.args).target)\n\ndef queue():\n    q = collections.deque(['uptime'])\n    q.append(request.args['x'])\n    os.system(q.popleft())\n    q.appendleft(request.args['y'])\n    os.system(q.popleft())\n"
    );
    assert_eq!(
        rules_found("a.py", &code),
        vec![
            "py-command-injection:23",
            "py-command-injection:24",
            "py-command-injection:31"
        ]
    );
}

#[test]
fn a_callback_given_to_an_iteration_or_promise_method_receives_the_elements() {
    let js = "const { exec } = require('child_process');\nfunction h(req, res) {\n  req.body.hosts.forEach((host) => exec('ping ' + host));\n  Promise.resolve(req.query.x).then((v) => exec('ls ' + v));\n  ['a', 'b'].forEach((c) => exec('ls ' + c));\n}\n";
    assert_eq!(
        rules_found("a.js", js),
        vec!["js-command-injection:3", "js-command-injection:4"]
    );
    let py = format!(
        "{FLASK}def h():\n    names = request.args.getlist('n')\n    list(map(lambda n: os.system('ls ' + n), names))\n    list(map(lambda n: os.system('ls ' + n), ['a', 'b']))\n"
    );
    assert_eq!(rules_found("a.py", &py), vec!["py-command-injection:6"]);
}

#[test]
fn a_parameter_decorated_as_request_data_is_a_source() {
    let code = "import { Controller, Get, Query } from '@nestjs/common';\n\n@Controller('r')\nexport class R {\n  constructor(private readonly db: any) {}\n\n  @Get()\n  byRegion(@Query('region') region: string, @Query('n') n: number, limit: string) {\n    this.db.query(`SELECT * FROM s WHERE region = '${region}'`);\n    this.db.query(`SELECT * FROM s LIMIT ${n}`);\n    return this.db.query(`SELECT * FROM s LIMIT ${limit}`);\n  }\n}\n";
    assert_eq!(rules_found("a.ts", code), vec!["js-sql-injection:9"]);
}

#[test]
fn a_map_yields_what_its_callback_returns() {
    let js = "function h(req, res) {\n  const ids = req.query.ids.split(',').map(Number);\n  db.query(`SELECT * FROM t WHERE id IN (${ids.join(',')})`);\n  const marks = req.body.ids.map(() => '?').join(',');\n  db.query(`SELECT * FROM t WHERE id IN (${marks})`, req.body.ids);\n  const quoted = req.body.ids.map((i) => `'${i}'`).join(',');\n  db.query(`SELECT * FROM t WHERE id IN (${quoted})`);\n}\n";
    assert_eq!(rules_found("a.js", js), vec!["js-sql-injection:7"]);
    let py = format!(
        "import sqlite3\n{FLASK}def h():\n    ids = list(map(int, request.args.getlist('id')))\n    sqlite3.connect('d').execute('SELECT * FROM t WHERE id IN (%s)' % ','.join(map(str, ids)))\n    names = map(lambda n: n.strip(), request.args.getlist('n'))\n    sqlite3.connect('d').execute(\"SELECT * FROM t WHERE n IN ('%s')\" % \"','\".join(names))\n"
    );
    assert_eq!(rules_found("a.py", &py), vec!["py-sql-injection:9"]);
}

#[test]
fn a_javascript_constructor_sets_the_fields_its_methods_read_through_this() {
    let code = "const { exec } = require('child_process');\nclass Helper {\n  constructor(v) {\n    this.v = v;\n    this.c = 'uptime';\n  }\n  fixed() {\n    return this.c;\n  }\n  given() {\n    return this.v;\n  }\n}\nfunction h(req) {\n  const helper = new Helper(req.query.x);\n  exec(helper.fixed());\n  exec(helper.given());\n}\n";
    assert_eq!(rules_found("a.js", code), vec!["js-command-injection:17"]);
}

#[test]
fn a_start_check_against_a_fixed_host_guards_requests_and_redirects() {
    let js = "async function h(req, res) {\n  const url = req.query.url;\n  if (!url.startsWith('https://trusted.example.com/')) {\n    return res.status(400).end();\n  }\n  await fetch(url);\n  res.redirect(url);\n}\nasync function g(req, res) {\n  const url = req.query.url;\n  if (!url.startsWith('https://trusted.example.com')) {\n    return res.status(400).end();\n  }\n  await fetch(url);\n}\n";
    assert_eq!(rules_found("a.js", js), vec!["js-ssrf:14"]);
    let py = format!(
        "import requests\n{FLASK}def h():\n    url = request.args['url']\n    if not url.startswith('https://trusted.example.com/'):\n        flask.abort(400)\n    return requests.get(url, timeout=5).text\n"
    );
    assert!(rules_found("a.py", &py).is_empty());
}

#[test]
fn a_call_of_a_decorated_function_goes_through_the_file_s_own_decorator() {
    // The wrapper cleans the argument before the decorated function sees it.
    let code = format!(
        "{FLASK}def basename_only(fn):\n    def inner(value):\n        return fn(os.path.basename(value))\n    return inner\n\n\
         @basename_only\ndef read(name):\n    return open('/srv/' + name).read()\n\n\
         def handler():\n    return read(request.args['f'])\n"
    );
    assert!(
        rules_found("a.py", &code).is_empty(),
        "{:?}",
        rules_found("a.py", &code)
    );
    // A wrapper that passes the arguments on as they are keeps the taint.
    let passing = code.replace(
        "return fn(os.path.basename(value))",
        "print('reading');\n        return fn(value)",
    );
    assert_eq!(rules_found("a.py", &passing), vec!["py-path-traversal:12"]);
    // So does one that passes them on through `*args`, under `functools.wraps`.
    let star = format!(
        "{FLASK}import functools\n\ndef logged(fn):\n    @functools.wraps(fn)\n    def inner(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return inner\n\n\
         @logged\ndef run(cmd):\n    os.system('ls ' + cmd)\n\n\
         def handler():\n    run(request.args['c'])\n"
    );
    assert_eq!(rules_found("a.py", &star), vec!["py-command-injection:14"]);
}
