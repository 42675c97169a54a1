//! Secrets hide in every format: each fixture under `tests/fixtures/formats/` holds planted
//! secrets (injected at run time, so the repository holds no live-looking credential) and
//! hard negatives (references, placeholders, hashes, UUIDs, and public material such as
//! certificates, SSH and PGP public keys and Stripe publishable keys) that must stay quiet.

use std::path::Path;

use corral_model::{CommitInfo, Finding, ScanOutput, Scanner, SourceFile};
use corral_secrets::SecretsScanner;

/// Deterministic pseudo-random token characters, so tests need no literal secrets.
fn token(seed: u64, alphabet: &str, len: usize) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            chars[((state >> 33) % chars.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &str = "0123456789abcdef";
const ALNUM_DASH: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

fn secrets() -> Vec<(&'static str, String)> {
    vec![
        (
            "@@PASSWORD@@",
            format!("{}#{}", token(1, ALNUM, 12), token(2, "0123456789", 3)),
        ),
        (
            "@@STRIPE@@",
            ["sk_", "live_", &token(3, ALNUM, 32)].concat(),
        ),
        (
            "@@OPENAI@@",
            [
                "sk-",
                "proj-",
                &token(4, ALNUM, 40),
                "T3Blbk",
                "FJ",
                &token(5, ALNUM, 40),
            ]
            .concat(),
        ),
        ("@@GITHUB@@", ["gh", "p_", &token(6, ALNUM, 36)].concat()),
        (
            "@@AWS_ID@@",
            [
                "AK",
                "IA",
                &token(7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            ]
            .concat(),
        ),
        (
            "@@SLACK_HOOK@@",
            [
                "https://hooks.",
                "slack.com/services/T",
                &token(8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
                "/B",
                &token(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
                "/",
                &token(10, ALNUM, 24),
            ]
            .concat(),
        ),
        (
            "@@ANTHROPIC@@",
            ["sk-", "ant-", "api03-", &token(11, ALNUM, 93), "AA"].concat(),
        ),
        ("@@HEX40@@", token(12, HEX, 40)),
        (
            "@@SENDGRID@@",
            [
                "SG",
                ".",
                &token(13, ALNUM_DASH, 22),
                ".",
                &token(14, ALNUM_DASH, 43),
            ]
            .concat(),
        ),
        (
            "@@HUBSPOT@@",
            [
                "pat-",
                "na1-",
                &token(15, HEX, 8),
                "-",
                &token(16, HEX, 4),
                "-",
                &token(17, HEX, 4),
                "-",
                &token(18, HEX, 4),
                "-",
                &token(19, HEX, 12),
            ]
            .concat(),
        ),
        ("@@GITLAB@@", ["gl", "pat-", &token(28, ALNUM, 20)].concat()),
        (
            "@@STRIPE_PK@@",
            ["pk_", "live_", "51", &token(29, ALNUM, 97)].concat(),
        ),
    ]
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (marker, value) in secrets() {
        text = text.replace(marker, &value);
    }
    text
}

fn scan(name: &str) -> (String, Vec<Finding>) {
    let text = fixture(name);
    let scanner = SecretsScanner::builtin().unwrap();
    let findings = scanner.scan_bytes(name, text.as_bytes());
    (text, findings)
}

fn lines_and_rules(findings: &[Finding]) -> Vec<(u32, &str)> {
    findings
        .iter()
        .map(|f| (f.location.line, f.rule_id.as_str()))
        .collect()
}

/// Line, column and rule of each finding: where a reviewer's editor has to jump.
fn positions(findings: &[Finding]) -> Vec<(u32, u32, &str)> {
    findings
        .iter()
        .map(|f| (f.location.line, f.location.column, f.rule_id.as_str()))
        .collect()
}

#[test]
fn json_config_reports_the_api_key_where_it_sits_and_not_the_reference_or_the_build_hash() {
    let (_, findings) = scan("service.json");
    assert_eq!(positions(&findings), vec![(16, 16, "sendgrid-api-key")]);
}

#[test]
fn toml_settings_report_the_token_in_a_nested_table_and_not_the_release_hash() {
    let (_, findings) = scan("settings.toml");
    assert_eq!(
        positions(&findings),
        vec![(10, 17, "hubspot-private-app-token")]
    );
}

#[test]
fn ini_sections_report_unquoted_values_and_skip_interpolated_ones() {
    let (_, findings) = scan("reporting.ini");
    assert_eq!(
        positions(&findings),
        vec![(10, 12, "generic-password"), (18, 11, "slack-webhook-url")]
    );
}

#[test]
fn shell_scripts_report_exported_literals_and_not_expansions_or_secret_files() {
    let (_, findings) = scan("deploy.sh");
    assert_eq!(
        positions(&findings),
        vec![(9, 21, "gitlab-personal-access-token")]
    );
}

#[test]
fn certificates_public_keys_and_publishable_keys_are_not_secrets() {
    let (text, findings) = scan("public-material.md");
    // Guard against a fixture that proves nothing: each kind of public value is really there.
    for present in [
        "-----BEGIN CERTIFICATE-----",
        "ssh-ed25519 AAAA",
        "ssh-rsa AAAA",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "Stripe(\"pk_live_51",
        "STRIPE_API_KEY=\"pk_live_51",
    ] {
        assert!(text.contains(present), "the fixture lacks {present}");
    }
    assert_eq!(positions(&findings), vec![]);
}

#[test]
fn dotenv_files_report_real_values_and_skip_placeholders_and_references() {
    let (_, findings) = scan("settings.env");
    assert_eq!(
        lines_and_rules(&findings),
        vec![(4, "generic-password"), (5, "stripe-secret-key")]
    );
}

#[test]
fn yaml_reports_the_connection_url_and_the_provider_key_but_not_templates() {
    let (_, findings) = scan("config.yaml");
    assert_eq!(
        lines_and_rules(&findings),
        vec![(4, "postgres-connection-url"), (9, "openai-api-key")]
    );
}

#[test]
fn python_code_references_hashes_and_uuids_are_not_secrets() {
    let (_, findings) = scan("app.py");
    assert_eq!(lines_and_rules(&findings), vec![(6, "github-pat")]);
}

#[test]
fn terraform_literals_are_found_and_variables_are_not() {
    let (_, findings) = scan("main.tf");
    assert_eq!(
        lines_and_rules(&findings),
        vec![(3, "aws-access-key-id"), (9, "generic-password")]
    );
}

#[test]
fn dockerfile_env_lines_are_scanned() {
    let (_, findings) = scan("Dockerfile");
    assert_eq!(lines_and_rules(&findings), vec![(3, "slack-webhook-url")]);
}

#[test]
fn notebook_findings_point_at_the_ipynb_line_and_column() {
    let (text, findings) = scan("analysis.ipynb");
    assert_eq!(lines_and_rules(&findings), vec![(10, "anthropic-api-key")]);
    let line = text.lines().nth(9).unwrap();
    let col = line.find("sk-ant").unwrap() + 1;
    assert_eq!(findings[0].location.column as usize, col);
    assert!(
        !findings[0]
            .snippet
            .as_ref()
            .unwrap()
            .contains("sk-ant-api03-")
    );
}

#[test]
fn a_secret_deep_in_a_minified_line_has_the_right_column_and_a_short_snippet() {
    let secret = ["gh", "p_", &token(20, ALNUM, 36)].concat();
    let mut line = String::from("!function(){");
    while line.len() < 60_000 {
        line.push_str("var a=function(b){return b.map(function(c){return c*2})};");
    }
    let column = line.chars().count() + 1 + "const t=\"".len();
    line.push_str(&format!("const t=\"{secret}\";"));
    while line.len() < 110_000 {
        line.push_str("window.x=(window.x||0)+1;");
    }
    let text = format!("/* bundle */\n{line}\n");
    let scanner = SecretsScanner::builtin().unwrap();
    let findings = scanner.scan_bytes("dist/app.min.js", text.as_bytes());
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!((f.location.line, f.location.column as usize), (2, column));
    let snippet = f.snippet.as_ref().unwrap();
    assert!(snippet.len() < 400, "snippet is {} bytes", snippet.len());
    assert!(snippet.starts_with('…') && snippet.ends_with('…'));
    assert!(!snippet.contains(&secret));
}

#[test]
fn history_hunks_report_real_line_numbers_and_the_commit() {
    let secret = ["gl", "pat-", &token(21, ALNUM, 20)].concat();
    let content = format!("context line\nGITLAB_TOKEN={secret}\n");
    let commit = CommitInfo {
        id: "4f2a9c0e1b7d3a5f6e8c9b0a1d2e3f4a5b6c7d8e".into(),
        author: "Dana Ops <dana@acme.example>".into(),
        date: "2026-03-02T10:00:00Z".parse().unwrap(),
    };
    let file = SourceFile {
        path: "deploy/.env",
        content: content.as_bytes(),
        first_line: 120,
        commit: Some(&commit),
    };
    let scanner = SecretsScanner::builtin().unwrap();
    let mut out = ScanOutput::default();
    scanner.scan_file(&file, &mut out);
    assert_eq!(out.findings.len(), 1);
    let loc = &out.findings[0].location;
    assert_eq!(loc.line, 121);
    assert_eq!(loc.commit.as_ref().unwrap().id, commit.id);
}

#[test]
fn fingerprints_survive_lines_being_added_above_the_secret() {
    let secret = [
        "xo",
        "xb-",
        &token(22, "0123456789", 12),
        "-",
        &token(23, "0123456789", 13),
        "-",
        &token(24, ALNUM, 24),
    ]
    .concat();
    let scanner = SecretsScanner::builtin().unwrap();
    let before = scanner.scan_bytes("bot.py", format!("TOKEN = \"{secret}\"\n").as_bytes());
    let after = scanner.scan_bytes(
        "bot.py",
        format!("import os\n\n# bot settings\nTOKEN = \"{secret}\"\n").as_bytes(),
    );
    assert_eq!(before.len(), 1);
    assert_eq!(after.len(), 1);
    assert_ne!(before[0].location.line, after[0].location.line);
    assert_eq!(before[0].fingerprint, after[0].fingerprint);
    let elsewhere = scanner.scan_bytes("other.py", format!("TOKEN = \"{secret}\"\n").as_bytes());
    assert_ne!(before[0].fingerprint, elsewhere[0].fingerprint);
}

#[test]
fn every_secret_on_a_line_is_redacted_in_each_findings_snippet() {
    let key_id = [
        "AK",
        "IA",
        &token(25, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
    ]
    .concat();
    let key = token(
        26,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        40,
    );
    let line = format!("aws_access_key_id={key_id} aws_secret_access_key={key}\n");
    let scanner = SecretsScanner::builtin().unwrap();
    let findings = scanner.scan_bytes("creds.ini", line.as_bytes());
    let rules: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules, ["aws-access-key-id", "aws-secret-access-key"]);
    for f in &findings {
        let json = serde_json::to_string(f).unwrap();
        assert!(!json.contains(&key_id) && !json.contains(&key), "{json}");
    }
}

#[test]
fn files_that_are_not_utf8_are_still_scanned() {
    let secret = ["npm", "_", &token(27, ALNUM, 36)].concat();
    let mut content = b"\xff\xfe garbage \x80\n".to_vec();
    content.extend_from_slice(format!("NPM_TOKEN={secret}\n").as_bytes());
    let scanner = SecretsScanner::builtin().unwrap();
    let findings = scanner.scan_bytes("legacy.cfg", &content);
    assert_eq!(lines_and_rules(&findings), vec![(2, "npm-access-token")]);
}

#[test]
fn the_finding_shape_is_stable() {
    let (_, findings) = scan("settings.env");
    let mut f = findings[1].clone();
    // The secret is synthetic per run of the generator; keep the snapshot about shape.
    f.fingerprint = "<fingerprint>".into();
    if let Some(s) = f.secret.as_mut() {
        s.sha256 = "sha256:<hash>".into();
    }
    f.snippet = f
        .snippet
        .map(|s| s.split('…').next().unwrap_or("").to_string() + "…");
    f.message = f.message.split('…').next().unwrap_or("").to_string();
    f.details.remove("entropy");
    insta::assert_json_snapshot!(f);
}

#[test]
fn the_scanner_wants_every_file_and_reports_as_secrets() {
    let scanner = SecretsScanner::builtin().unwrap();
    assert_eq!(scanner.id(), "secrets");
    assert!(scanner.wants("notes/anything.weird"));
    let rules = scanner.rules();
    assert_eq!(rules.len(), scanner.detector_count());
    assert!(
        rules
            .iter()
            .all(|r| r.scanner == "secrets" && !r.help.is_empty())
    );
}
