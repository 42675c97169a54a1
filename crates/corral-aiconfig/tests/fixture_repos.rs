//! Whole repositories through the scanner: one with a problem of every kind, one kept well.

mod support;

use std::collections::BTreeMap;

use corral_aiconfig::AiConfigScanner;
use corral_model::ScanOutput;

#[derive(serde::Deserialize)]
struct Fixture {
    files: BTreeMap<String, String>,
}

fn scan_fixture(name: &str) -> ScanOutput {
    let path = format!("{}/tests/fixtures/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let fixture: Fixture = toml::from_str(&text).unwrap();
    let scanner = AiConfigScanner::new().unwrap();
    support::scan_repo(&scanner, &fixture.files)
}

/// The report as a reviewer reads it: one line per finding, then errors and tools.
fn render(out: &ScanOutput) -> String {
    let mut findings: Vec<String> = out
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} [{}] {}",
                f.location.path,
                f.location.line,
                f.location.column,
                f.rule_id,
                f.severity,
                f.message
            )
        })
        .collect();
    findings.sort();
    let mut errors: Vec<String> = out
        .errors
        .iter()
        .map(|e| format!("{}:{} {}", e.path, e.line.unwrap_or(0), e.message))
        .collect();
    errors.sort();
    let mut tools: Vec<String> = out
        .ai_tools
        .iter()
        .map(|t| format!("{} ({})", t.tool, t.location.path))
        .collect();
    tools.sort();
    format!(
        "findings:\n{}\nerrors:\n{}\ntools:\n{}\n",
        findings.join("\n"),
        errors.join("\n"),
        tools.join("\n")
    )
}

#[test]
fn a_risky_repository_reports_every_problem_with_its_location() {
    let out = scan_fixture("risky-repo");
    insta::assert_snapshot!(render(&out));
}

#[test]
fn a_well_kept_repository_is_inventoried_without_findings() {
    let out = scan_fixture("clean-repo");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.findings.is_empty(), "{}", render(&out));
    let tools: std::collections::BTreeSet<_> =
        out.ai_tools.iter().map(|t| t.tool.as_str()).collect();
    assert_eq!(
        tools.into_iter().collect::<Vec<_>>(),
        [
            "AGENTS.md agents (Codex and others)",
            "Claude Code",
            "Cursor",
            "GitHub Copilot"
        ]
    );
}

#[test]
fn credentials_are_never_shown_in_clear() {
    let out = scan_fixture("risky-repo");
    let json = serde_json::to_string(&out.findings).unwrap();
    for secret in [
        "ghp_Zq8Lm2Xv7Rt4Wn9Kp3Hs6Jd1Fb5Gc0Ya2Eu7",
        "sk-ant-api03-Qm7Zt2Lx9Vb4Nc8Hd1Jk6Wp3Sy5Ga0Ru",
        "sk-proj-Hq2Wm9Zx4Lc7Vb1Nt8Kd3Rf6Yg0Ps5Ja2Uo",
    ] {
        assert!(!json.contains(&secret[6..]), "{secret} leaked");
    }
    let credentials = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "ai-inline-credential")
        .count();
    assert_eq!(credentials, 3);
    assert!(
        out.findings
            .iter()
            .filter(|f| f.rule_id == "ai-inline-credential")
            .all(|f| f.secret.is_some())
    );
}

#[test]
fn a_malformed_file_is_an_error_with_its_line_and_the_scan_goes_on() {
    let out = scan_fixture("risky-repo");
    let error = out
        .errors
        .iter()
        .find(|e| e.path == ".vscode/mcp.json")
        .expect("the broken mcp.json is reported");
    assert_eq!(error.line, Some(3));
    assert!(error.message.contains("JSON"), "{}", error.message);
    assert!(out.findings.iter().any(|f| f.location.path == ".mcp.json"));
}

#[test]
fn fingerprints_do_not_change_when_lines_move() {
    let scanner = AiConfigScanner::new().unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        ".cursorrules".to_string(),
        "Commit with --no-verify.\n".to_string(),
    );
    let before = support::scan_repo(&scanner, &files);
    files.insert(
        ".cursorrules".to_string(),
        "# Rules\n\nCommit with --no-verify.\n".to_string(),
    );
    let after = support::scan_repo(&scanner, &files);
    assert_eq!(before.findings[0].location.line, 1);
    assert_eq!(after.findings[0].location.line, 3);
    assert_eq!(
        before.findings[0].fingerprint,
        after.findings[0].fingerprint
    );
}

#[test]
fn malformed_yaml_is_an_error_with_its_line_and_hostile_input_does_not_panic() {
    let scanner = AiConfigScanner::new().unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        ".aider.conf.yml".to_string(),
        "model: gpt-4o\nopenai-api-key: [unclosed\nauto-commits: false\n".to_string(),
    );
    files.insert(".mcp.json".to_string(), "[".repeat(10_000));
    files.insert(
        ".claude/settings.json".to_string(),
        "\u{0}\u{FFFF}{".to_string(),
    );
    files.insert("CLAUDE.md".to_string(), "<!--".repeat(5_000));
    let out = support::scan_repo(&scanner, &files);
    let yaml = out
        .errors
        .iter()
        .find(|e| e.path == ".aider.conf.yml")
        .expect("the broken YAML is reported");
    assert!(yaml.line.is_some_and(|l| l >= 2), "{yaml:?}");
    assert!(yaml.message.contains("YAML"), "{}", yaml.message);
    assert!(out.errors.iter().any(|e| e.path == ".mcp.json"));
    assert!(out.errors.iter().any(|e| e.path == ".claude/settings.json"));
}
