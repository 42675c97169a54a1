//! `corral scan` and `corral baseline` as users run them: the built binary against
//! temporary trees and git repositories made by the test.

use std::path::Path;
use std::process::{Command, Output};

/// A GitHub token-shaped value, assembled at run time so no token-shaped literal sits in the
/// source.
fn github_token() -> String {
    format!("ghp_{}", "uryhwmvh8cJ6OZjJZQuCPlKwbQXFWI4opqKL")
}

fn write(root: &Path, relative: &str, content: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Runs `corral` in `dir` with no user configuration.
fn corral(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_corral"))
        .args(args)
        .current_dir(dir)
        .env("CORRAL_DATA_DIR", dir.join(".corral-data"))
        .env_remove("CORRAL_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .expect("corral runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_report(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let output = corral(dir, &all);
    let code = output.status.code().unwrap();
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&output), stderr(&output)));
    (code, report)
}

fn finding_paths(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap().to_string())
        .collect()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Grace Hopper")
        .env("GIT_AUTHOR_EMAIL", "grace@example.com")
        .env("GIT_COMMITTER_NAME", "Grace Hopper")
        .env("GIT_COMMITTER_EMAIL", "grace@example.com")
        .env("GIT_AUTHOR_DATE", "2024-05-01T09:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-05-01T09:00:00Z")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn a_clean_tree_exits_zero_and_a_leaked_token_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", "print('hello')\n");
    let clean = corral(dir.path(), &["scan"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean).contains("result: passed"),
        "{}",
        stdout(&clean)
    );

    write(
        dir.path(),
        "sync.py",
        format!("TOKEN = '{}'\n", github_token()),
    );
    let dirty = corral(dir.path(), &["scan"]);
    assert_eq!(dirty.status.code(), Some(1), "{}", stdout(&dirty));
    let text = stdout(&dirty);
    assert!(
        text.contains("sync.py") && text.contains("github-pat"),
        "{text}"
    );
    assert!(
        !text.contains(&github_token()),
        "the token is never printed: {text}"
    );
}

#[test]
fn fail_on_sets_the_threshold_and_none_never_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules.toml",
        "[[rules]]\nid = \"acme-token\"\ndescription = \"Acme token\"\nregex = 'acmetok_[a-z0-9]{24}'\nkeywords = [\"acmetok_\"]\n",
    );
    write(
        dir.path(),
        "src/a.txt",
        "acmetok_q8z3k1v9x2m7p4r6t0w5y8n3\n",
    );
    let rules = ["--rules", "rules.toml", "--rules-mode", "replace", "src"];

    let (code, report) = json_report(dir.path(), &rules);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["rule_id"], "acme-token");
    assert_eq!(report["findings"][0]["severity"], "high");

    let mut critical = rules.to_vec();
    critical.extend(["--fail-on", "critical"]);
    assert_eq!(json_report(dir.path(), &critical).0, 0);

    let mut none = rules.to_vec();
    none.extend(["--fail-on", "none"]);
    assert_eq!(json_report(dir.path(), &none).0, 0);
}

/// A team's gitleaks rule file with one custom rule, and `extend` as its `[extend]` body.
fn gitleaks_file(extend: Option<&str>) -> String {
    let mut text = String::from("title = \"Acme secrets\"\n\n");
    if let Some(body) = extend {
        text.push_str(&format!("[extend]\n{body}\n\n"));
    }
    text.push_str(concat!(
        "[[rules]]\n",
        "id = \"acme-token\"\n",
        "description = \"Acme internal token\"\n",
        "regex = '''\\b(acmetok_[a-z0-9]{24})\\b'''\n",
        "keywords = [\"acmetok_\"]\n",
    ));
    text
}

/// `src/` with an Acme token on line 2 (column 15) and a GitHub token on line 3.
fn tree_with_custom_and_builtin_secrets(root: &Path) {
    write(
        root,
        "src/settings.py",
        format!(
            "DEBUG = False\nACME_TOKEN = \"acmetok_q8z3k1v9x2m7p4r6t0w5y8n3\"\nGH = '{}'\n",
            github_token()
        ),
    );
}

fn rule_ids_and_lines(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_gitleaks_rule_file_given_as_config_finds_its_custom_secret() {
    let dir = tempfile::tempdir().unwrap();
    tree_with_custom_and_builtin_secrets(dir.path());
    write(dir.path(), ".gitleaks.toml", gitleaks_file(None));
    let (code, report) = json_report(dir.path(), &["--config", ".gitleaks.toml", "src"]);
    assert_eq!(code, 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["rule_id"], "acme-token");
    assert_eq!(finding["title"], "Acme internal token");
    assert_eq!(finding["location"]["path"], "settings.py");
    assert_eq!(finding["location"]["line"], 2);
    assert_eq!(finding["location"]["column"], 15);
}

#[test]
fn a_gitleaks_config_replaces_the_built_ins_unless_it_says_use_default() {
    let dir = tempfile::tempdir().unwrap();
    tree_with_custom_and_builtin_secrets(dir.path());
    let acme = ("acme-token".to_string(), 2);
    let github = ("github-pat".to_string(), 3);
    for (extend, expected) in [
        (None, vec![acme.clone()]),
        (Some("useDefault = false"), vec![acme.clone()]),
        (
            Some("useDefault = true"),
            vec![acme.clone(), github.clone()],
        ),
    ] {
        write(dir.path(), "rules.toml", gitleaks_file(extend));
        let (_, report) = json_report(dir.path(), &["--config", "rules.toml", "src"]);
        assert_eq!(rule_ids_and_lines(&report), expected, "[extend] {extend:?}");
    }
    // --rules still works, its mode set by the flag.
    write(dir.path(), "rules.toml", gitleaks_file(None));
    let (_, extended) = json_report(dir.path(), &["--rules", "rules.toml", "src"]);
    assert_eq!(rule_ids_and_lines(&extended), [acme.clone(), github]);
    let replace = ["--rules", "rules.toml", "--rules-mode", "replace", "src"];
    let (_, replaced) = json_report(dir.path(), &replace);
    assert_eq!(rule_ids_and_lines(&replaced), [acme]);
}

#[test]
fn a_gitleaks_config_keeps_the_scan_settings_of_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    tree_with_custom_and_builtin_secrets(dir.path());
    write(
        dir.path(),
        "src/vendor/lib.py",
        "T = \"acmetok_m2k8x4c9v1b7n3h6j0l5p2r8\"\n",
    );
    write(
        dir.path(),
        ".corral-data/corral.toml",
        "[scan]\nexclude = [\"vendor/\"]\n",
    );
    write(dir.path(), ".gitleaks.toml", gitleaks_file(None));
    let (_, report) = json_report(dir.path(), &["--config", ".gitleaks.toml", "src"]);
    assert_eq!(finding_paths(&report), ["settings.py"]);
}

#[test]
fn config_files_that_would_lose_settings_are_named_not_silently_ignored() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", "print('hello')\n");

    write(dir.path(), "typo.toml", "[scna]\nexclude = [\"vendor/\"]\n");
    let typo = corral(dir.path(), &["scan", "--config", "typo.toml"]);
    assert_eq!(typo.status.code(), Some(0), "{}", stderr(&typo));
    let err = stderr(&typo);
    assert!(
        err.contains("warning: typo.toml: `scna` is not a Corral setting")
            && err.contains("did you mean [scan]?"),
        "{err}"
    );

    let mixed = format!("[scan]\nfail_on = \"high\"\n\n{}", gitleaks_file(None));
    write(dir.path(), "mixed.toml", mixed);
    let output = corral(dir.path(), &["scan", "--config", "mixed.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "mixed.toml mixes gitleaks rule tables ([rules]) with Corral settings ([scan])"
        ),
        "{err}"
    );

    write(dir.path(), "a.toml", gitleaks_file(None));
    write(dir.path(), "b.toml", gitleaks_file(None));
    let both = corral(
        dir.path(),
        &["scan", "--config", "a.toml", "--rules", "b.toml"],
    );
    assert_eq!(both.status.code(), Some(2));
    assert!(
        stderr(&both).contains("pass one rule file"),
        "{}",
        stderr(&both)
    );

    write(
        dir.path(),
        "misspelt.toml",
        gitleaks_file(Some("usedefault = true")),
    );
    let output = corral(dir.path(), &["scan", "--config", "misspelt.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("misspelt.toml") && err.contains("usedefault"),
        "{err}"
    );
}

#[test]
fn usage_and_runtime_errors_exit_two_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad_flag = corral(dir.path(), &["scan", "--fail-on", "severe"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(
        stderr(&bad_flag).contains("severe"),
        "{}",
        stderr(&bad_flag)
    );

    let missing = corral(dir.path(), &["scan", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no/such/dir"),
        "{}",
        stderr(&missing)
    );

    let not_git = corral(dir.path(), &["scan", "--staged"]);
    assert_eq!(not_git.status.code(), Some(2));
    assert!(
        stderr(&not_git).contains("not inside a git repository"),
        "{}",
        stderr(&not_git)
    );

    write(dir.path(), "broken.toml", "[[rules]\n");
    let broken = corral(dir.path(), &["scan", "--rules", "broken.toml"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("broken.toml"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn gitignore_is_honoured_and_dot_env_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let token = github_token();
    write(dir.path(), ".gitignore", "dist/\n");
    write(dir.path(), "dist/bundle.js", format!("var t='{token}';\n"));
    write(dir.path(), ".env", format!("GITHUB_TOKEN={token}\n"));

    let (_, report) = json_report(dir.path(), &[]);
    assert_eq!(finding_paths(&report), [".env"]);

    let (_, everything) = json_report(dir.path(), &["--no-ignore"]);
    assert_eq!(finding_paths(&everything), [".env", "dist/bundle.js"]);
}

#[test]
fn binary_and_oversized_files_are_skipped_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let token = github_token();
    write(dir.path(), "image.png", format!("\u{0}\u{0}PNG {token}"));
    write(dir.path(), "big.log", format!("{token}\n").repeat(200));
    write(dir.path(), "ok.txt", "fine\n");

    let (code, report) = json_report(dir.path(), &["--max-file-size", "1KB"]);
    assert_eq!(code, 0, "nothing scanned contains a token");
    let skipped = report["skipped"].as_array().unwrap();
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|s| s["path"] == path)
            .map(|s| s["reason"].clone())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:?}"))
    };
    assert_eq!(reason("image.png")["kind"], "binary");
    assert_eq!(reason("big.log")["kind"], "too-large");
    assert_eq!(reason("big.log")["limit"], 1000);

    let human = corral(dir.path(), &["scan", "--max-file-size", "1KB"]);
    let text = stdout(&human);
    assert!(
        text.contains("big.log: 8.2 KB is over the 1.0 KB limit"),
        "{text}"
    );
    assert!(
        text.contains("skipped   2 files (1 binary, 1 too large)"),
        "{text}"
    );
}

#[test]
fn scan_settings_come_from_corral_toml_and_typos_are_named() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "vendor/lib.py",
        format!("T = '{}'\n", github_token()),
    );
    write(
        dir.path(),
        "corral.toml",
        "[scan]\nexclude = [\"vendor/\"]\n",
    );
    let output = corral(dir.path(), &["--config", "corral.toml", "scan"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));

    write(dir.path(), "typo.toml", "[scan]\nexclued = [\"vendor/\"]\n");
    let output = corral(dir.path(), &["--config", "typo.toml", "scan"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("[scan]") && err.contains("exclued"), "{err}");
}

#[test]
fn allow_comments_suppress_but_stay_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "fixture.py",
        format!(
            "T = '{}'  # corral:allow github-pat -- test fixture\n",
            github_token()
        ),
    );
    let (code, report) = json_report(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["suppressed"].as_array().unwrap().len(), 1);
    let human = stdout(&corral(dir.path(), &["scan"]));
    assert!(human.contains("1 suppressed by corral:allow"), "{human}");
}

#[test]
fn a_baseline_hides_known_findings_and_new_ones_still_fail() {
    let dir = tempfile::tempdir().unwrap();
    let token = github_token();
    write(dir.path(), "old.py", format!("T = '{token}'\n"));
    let created = corral(dir.path(), &["baseline", "create", "--output", "base.json"]);
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let baseline = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(
        baseline.contains("\"github-pat\"") && baseline.contains("old.py"),
        "{baseline}"
    );
    assert!(
        !baseline.contains(&token[4..]),
        "no secret in the baseline: {baseline}"
    );

    let (code, report) = json_report(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(code, 0);
    assert_eq!(report["baselined"], 1);

    write(dir.path(), "new.py", format!("T = '{token}'\n"));
    let (code, report) = json_report(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&report), ["new.py"]);
}

#[test]
fn sarif_goes_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", format!("T = '{}'\n", github_token()));
    let output = corral(
        dir.path(),
        &["scan", "--format", "sarif", "--output", "out.sarif"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "github-pat");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a.py"
    );
}

#[test]
fn staged_mode_checks_what_would_be_committed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "app.py", "x = 1\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "start"]);

    write(root, "app.py", format!("x = 1\nT = '{}'\n", github_token()));
    git(root, &["add", "app.py"]);
    write(root, "app.py", "x = 1\n"); // fixed on disk, but the leak is still staged

    let (code, report) = json_report(root, &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&report), ["app.py"]);
    assert_eq!(report["findings"][0]["location"]["line"], 2);
    assert_eq!(json_report(root, &[]).0, 0, "the working tree is clean");
}

#[test]
fn history_mode_reports_a_token_deleted_in_a_later_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(root, "app.py", "x = 1\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "start"]);
    write(
        root,
        "app.py",
        format!("x = 1\ny = 2\nT = '{}'\n", github_token()),
    );
    git(root, &["commit", "-q", "-am", "add token"]);
    let leak = git(root, &["rev-parse", "HEAD"]);
    write(root, "app.py", "x = 1\ny = 2\n");
    git(root, &["commit", "-q", "-am", "remove token"]);

    let (code, report) = json_report(root, &["--history"]);
    assert_eq!(code, 1);
    let location = &report["findings"][0]["location"];
    assert_eq!(location["path"], "app.py");
    assert_eq!(location["line"], 3);
    assert_eq!(location["commit"]["id"], leak.as_str());
    assert_eq!(
        location["commit"]["author"],
        "Grace Hopper <grace@example.com>"
    );

    let human = stdout(&corral(root, &["scan", "--history"]));
    assert!(
        human.contains(&format!("added in commit {}", &leak[..10])),
        "{human}"
    );

    let (code, _) = json_report(root, &["--history", "--since", &leak]);
    assert_eq!(code, 0, "nothing after the leaking commit adds a token");
}

#[test]
fn the_sarif_of_a_real_scan_is_valid_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# billing export\n");
    write(
        dir.path(),
        "src/export.py",
        format!("import os\n\nGITHUB_TOKEN = \"{}\"\n", github_token()),
    );
    let output = corral(dir.path(), &["scan", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&output)));

    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../corral-scan/tests/fixtures/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // Valid and about the planted secret, with the location GitHub code scanning shows.
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "github-pat");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "src/export.py");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 17);
    assert!(
        !stdout(&output).contains(&github_token()),
        "the token is redacted"
    );
}
