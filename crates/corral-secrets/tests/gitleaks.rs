//! gitleaks-format rule files load beside or instead of the built-in detectors, with their
//! allow lists, and constructs the engine cannot run are refused with the rule's id.

use std::path::Path;

use corral_secrets::SecretsScanner;

fn rules(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gitleaks")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn acme_token(body: &str) -> String {
    ["acme_", "live_", body].concat()
}

#[test]
fn custom_rules_run_alongside_the_built_in_detectors() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("custom.toml"), false)
        .unwrap();
    let text = format!(
        "SERVICE_TOKEN={}\nDB_PASSWORD=Vq8#Lm2Zr9Tx\n",
        acme_token("q8z4k2m7x1c5v9b3n6h0j2l4p7r1t5w8")
    );
    let findings = scanner.scan_bytes("svc/.env", text.as_bytes());
    let rules: Vec<(&str, u32)> = findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.line))
        .collect();
    assert_eq!(rules, [("acme-internal-token", 1), ("generic-password", 2)]);
    assert_eq!(findings[0].secret.as_ref().unwrap().length, 42);
    assert_eq!(findings[0].details["rule_source"], "gitleaks");
}

#[test]
fn replacing_the_built_ins_leaves_only_the_custom_rules() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("custom.toml"), true)
        .unwrap();
    assert_eq!(scanner.detector_count(), 3);
    let findings = scanner.scan_bytes("svc/.env", b"DB_PASSWORD=Vq8#Lm2Zr9Tx\n");
    assert!(findings.is_empty());
}

#[test]
fn rule_stopwords_and_global_path_allowlists_silence_matches() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("custom.toml"), true)
        .unwrap();
    let stopword = acme_token("deadbeef2k7m4x9c1v5b8n3h6j0l2p4r");
    assert!(scanner.scan_bytes("a.txt", stopword.as_bytes()).is_empty());
    let real = acme_token("q8z4k2m7x1c5v9b3n6h0j2l4p7r1t5w8");
    assert_eq!(scanner.scan_bytes("a.txt", real.as_bytes()).len(), 1);
    assert!(
        scanner
            .scan_bytes("third_party/vendor/a.txt", real.as_bytes())
            .is_empty()
    );
}

#[test]
fn an_and_allowlist_needs_both_the_path_and_the_line_to_match() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("custom.toml"), true)
        .unwrap();
    let line = b"deploy_password = \"Zx81kQm2Lp\"  # test-only\n";
    assert!(scanner.scan_bytes("tests/deploy.py", line).is_empty());
    assert_eq!(scanner.scan_bytes("src/deploy.py", line).len(), 1);
    let no_marker = b"deploy_password = \"Zx81kQm2Lp\"\n";
    assert_eq!(scanner.scan_bytes("tests/deploy.py", no_marker).len(), 1);
}

#[test]
fn a_path_only_rule_reports_the_file_itself() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("custom.toml"), true)
        .unwrap();
    let findings = scanner.scan_bytes("release/signing.jks", b"not really text");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule_id, "acme-keystore-file");
    assert!(findings[0].secret.is_none());
}

#[test]
fn look_around_is_refused_with_the_rule_id_and_a_hint() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("lookahead.toml"), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("uses-lookahead"), "{err}");
    assert!(err.contains("look-around"), "{err}");
}

#[test]
fn unicode_classes_are_refused_with_the_rule_id() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("unicode-class.toml"), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("uses-unicode-class") && err.contains("Unicode"),
        "{err}"
    );
}

#[test]
fn a_rule_without_regex_or_path_is_refused() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(&rules("no-regex.toml"), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("empty-rule") && err.contains("neither"),
        "{err}"
    );
}

#[test]
fn malformed_toml_names_the_source() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules_from("team-rules.toml", "[[rules]\nid = 1", false)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("cannot parse team-rules.toml"), "{err}");
}

#[test]
fn extending_another_file_is_refused_with_advice() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules("[extend]\npath = \"base.toml\"\n", false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("base.toml") && err.contains("merge"), "{err}");
}

#[test]
fn a_custom_rule_with_a_built_in_id_replaces_that_detector() {
    let text = r#"
[[rules]]
id = "generic-password"
description = "Team-specific password rule"
regex = '''team_pw=(\S{8,})'''
keywords = ["team_pw="]
"#;
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_rules(text, false)
        .unwrap();
    assert!(
        scanner
            .scan_bytes(".env", b"DB_PASSWORD=Vq8#Lm2Zr9Tx\n")
            .is_empty()
    );
    let found = scanner.scan_bytes(".env", b"team_pw=Vq8#Lm2Zr9Tx\n");
    assert_eq!(found[0].title, "Team-specific password rule");
}

/// A one-rule gitleaks file, with `extend` as its `[extend]` table's body when given.
fn one_rule_file(extend: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(body) = extend {
        text.push_str(&format!("[extend]\n{body}\n\n"));
    }
    text.push_str(concat!(
        "[[rules]]\n",
        "id = \"acme-internal-token\"\n",
        "regex = '''\\b(acme_(?:live|test)_[a-z0-9]{32})\\b'''\n",
        "keywords = [\"acme_live_\"]\n",
    ));
    text
}

fn rule_ids(scanner: &SecretsScanner, text: &str) -> Vec<String> {
    scanner
        .scan_bytes("svc/.env", text.as_bytes())
        .into_iter()
        .map(|f| f.rule_id)
        .collect()
}

#[test]
fn a_config_file_with_use_default_runs_beside_the_built_in_detectors() {
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_config_from("team.toml", &one_rule_file(Some("useDefault = true")))
        .unwrap();
    let text = format!(
        "SERVICE_TOKEN={}\nDB_PASSWORD=Vq8#Lm2Zr9Tx\n",
        acme_token("q8z4k2m7x1c5v9b3n6h0j2l4p7r1t5w8")
    );
    assert_eq!(
        rule_ids(&scanner, &text),
        ["acme-internal-token", "generic-password"]
    );
}

#[test]
fn a_config_file_without_use_default_replaces_the_built_in_detectors() {
    for extend in [None, Some("useDefault = false"), Some("disabledRules = []")] {
        let scanner = SecretsScanner::builtin()
            .unwrap()
            .with_gitleaks_config_from("team.toml", &one_rule_file(extend))
            .unwrap();
        assert_eq!(scanner.detector_count(), 1, "[extend] {extend:?}");
        let text = format!(
            "SERVICE_TOKEN={}\nDB_PASSWORD=Vq8#Lm2Zr9Tx\n",
            acme_token("q8z4k2m7x1c5v9b3n6h0j2l4p7r1t5w8")
        );
        assert_eq!(rule_ids(&scanner, &text), ["acme-internal-token"]);
    }
}

#[test]
fn replacing_the_built_ins_with_a_file_of_no_rules_is_refused() {
    let err = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_config_from("team.toml", "[allowlist]\npaths = ['''^vendor/''']\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("team.toml") && err.contains("useDefault = true"),
        "{err}"
    );
    // The same file beside the built-in detectors is a plain allow list, and fine.
    let text = "[extend]\nuseDefault = true\n[allowlist]\npaths = ['''^vendor/''']\n";
    let scanner = SecretsScanner::builtin()
        .unwrap()
        .with_gitleaks_config_from("team.toml", text)
        .unwrap();
    let line = b"DB_PASSWORD=Vq8#Lm2Zr9Tx\n";
    assert!(scanner.scan_bytes("vendor/lib/.env", line).is_empty());
    assert_eq!(scanner.scan_bytes("app/.env", line).len(), 1);
}

#[test]
fn unknown_top_level_and_extend_keys_are_named_rather_than_ignored() {
    for (text, name) in [
        (
            format!("[allowlistt]\npaths = []\n{}", one_rule_file(None)),
            "allowlistt",
        ),
        (one_rule_file(Some("useDefaults = true")), "useDefaults"),
    ] {
        let err = SecretsScanner::builtin()
            .unwrap()
            .with_gitleaks_config_from("team.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("team.toml") && err.contains(name), "{err}");
    }
    let titled = format!("title = \"Acme rules\"\n{}", one_rule_file(None));
    assert!(
        SecretsScanner::builtin()
            .unwrap()
            .with_gitleaks_config_from("team.toml", &titled)
            .is_ok(),
        "gitleaks' own `title` is accepted"
    );
}
