//! The renderings of one fixed report: human (snapshot), JSON (round trip) and SARIF
//! (snapshot, and validated against the official SARIF 2.1.0 schema).

use chrono::{DateTime, Utc};
use corral_model::{
    CommitInfo, Confidence, FileError, Finding, Location, RedactedSecret, Report, RuleInfo,
    Severity, SkipReason, SkippedFile,
};
use corral_scan::{HumanOptions, render_human, render_json, render_sarif};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn finding(rule: &str, severity: Severity, path: &str, line: u32, column: u32) -> Finding {
    Finding {
        scanner: "secrets".into(),
        rule_id: rule.into(),
        title: format!("Title of {rule}"),
        severity,
        confidence: Confidence::High,
        location: Location::new(path, line, column),
        cwe: vec![798],
        tags: vec!["credential".into()],
        message: format!("{rule} found here."),
        fix: Some("Rotate it and read it from the environment.".into()),
        fingerprint: corral_model::fingerprint(&[rule, path]),
        secret: None,
        snippet: None,
        details: Default::default(),
    }
}

fn rules() -> Vec<RuleInfo> {
    vec![
        RuleInfo {
            id: "github-pat".into(),
            scanner: "secrets".into(),
            title: "GitHub personal access token".into(),
            description: "Finds classic GitHub personal access tokens.".into(),
            help: "Revoke the token on GitHub, then load it from the environment.".into(),
            severity: Severity::Critical,
            cwe: vec![798],
            tags: vec!["credential".into()],
        },
        RuleInfo {
            id: "py-sql-injection".into(),
            scanner: "code".into(),
            title: "SQL built from strings".into(),
            description: "Finds SQL queries assembled with string formatting.".into(),
            help: "Use query parameters.".into(),
            severity: Severity::High,
            cwe: vec![89],
            tags: vec![],
        },
    ]
}

fn report() -> Report {
    let mut report = Report::new("0.1.0", at("2026-01-05T10:00:00Z"));
    report.duration_ms = 1234;
    report.roots = vec![".".into()];
    report.scanners = vec!["secrets".into(), "code".into()];
    report.stats.files_scanned = 42;
    report.stats.bytes_scanned = 123_456;
    report.stats.files_skipped = 3;

    let mut pat = finding("github-pat", Severity::Critical, "scripts/sync.py", 12, 9);
    pat.secret = Some(RedactedSecret::new(
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    ));
    pat.snippet = Some(format!("TOKEN = \"{}\"", pat.secret.as_ref().unwrap()));
    pat.location.end_line = Some(12);
    pat.location.end_column = Some(49);

    let mut sql = finding("py-sql-injection", Severity::High, "scripts/sync.py", 30, 5);
    sql.scanner = "code".into();
    sql.cwe = vec![89];
    sql.snippet = Some("cur.execute(f\"SELECT * FROM t WHERE id = {user_id}\")".into());

    let mut old = finding(
        "aws-access-key-id",
        Severity::High,
        "deploy/old env.sh",
        3,
        1,
    );
    old.location.commit = Some(CommitInfo {
        id: "3f2a9c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f708".into(),
        author: "Ada Lovelace <ada@example.com>".into(),
        date: at("2024-03-01T10:00:00Z"),
    });

    let mut note = finding("ai-tool", Severity::Info, "CLAUDE.md", 1, 1);
    note.scanner = "ai-config".into();
    note.fix = None;
    note.cwe = vec![];

    report.findings = vec![old, note, pat, sql];
    report.suppressed = vec![finding(
        "github-pat",
        Severity::Critical,
        "tests/fixture.py",
        4,
        8,
    )];
    report.baselined = 2;
    report.skipped = vec![
        SkippedFile {
            path: "data/export.csv".into(),
            reason: SkipReason::TooLarge {
                size: 48_211_000,
                limit: 5_000_000,
            },
        },
        SkippedFile {
            path: "logo.png".into(),
            reason: SkipReason::Binary,
        },
        SkippedFile {
            path: "link".into(),
            reason: SkipReason::Symlink,
        },
    ];
    report.errors = vec![FileError {
        scanner: "deps".into(),
        path: "package-lock.json".into(),
        line: Some(3),
        message: "expected a JSON object".into(),
    }];
    report
}

fn plain(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

#[test]
fn the_human_report_groups_findings_by_file_and_ends_with_a_summary() {
    let text = plain(&render_human(&report(), HumanOptions::default()));
    insta::assert_snapshot!("human_report", text);
}

#[test]
fn the_verbose_human_report_also_lists_binaries_and_suppressed_findings() {
    let text = plain(&render_human(&report(), HumanOptions { verbose: true }));
    assert!(text.contains("logo.png: binary file"), "{text}");
    assert!(text.contains("tests/fixture.py:4"), "{text}");
    let quiet = plain(&render_human(&report(), HumanOptions::default()));
    assert!(!quiet.contains("logo.png"), "{quiet}");
}

#[test]
fn the_human_report_is_coloured_by_severity_before_stripping() {
    let text = render_human(&report(), HumanOptions::default());
    assert!(
        text.contains("\u{1b}["),
        "styles are present for colour terminals"
    );
}

#[test]
fn no_output_format_contains_the_raw_secret() {
    let report = report();
    for text in [
        render_human(&report, HumanOptions { verbose: true }),
        render_json(&report),
        render_sarif(&report, &rules()),
    ] {
        assert!(!text.contains("aBcDeFgHiJ"), "{text}");
    }
}

#[test]
fn the_json_report_is_the_report_itself_and_reads_back() {
    let report = report();
    let json = render_json(&report);
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["skipped"][0]["reason"]["kind"], "too-large");
}

#[test]
fn the_sarif_log_maps_rules_levels_locations_and_fingerprints() {
    let sarif = render_sarif(&report(), &rules());
    insta::assert_snapshot!("sarif_log", sarif);

    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let run = &log["runs"][0];
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rule_ids,
        [
            "github-pat",
            "py-sql-injection",
            "aws-access-key-id",
            "ai-tool"
        ]
    );
    let tags = &run["tool"]["driver"]["rules"][1]["properties"]["tags"];
    assert!(
        tags.as_array().unwrap().contains(&"CWE-89".into()),
        "{tags}"
    );

    let levels: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("aws-access-key-id", "error"),
            ("ai-tool", "note"),
            ("github-pat", "error"),
            ("py-sql-injection", "error"),
            ("github-pat", "error"),
        ]
    );
    let old = &run["results"][0];
    assert_eq!(
        old["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/old%20env.sh"
    );
    assert_eq!(
        old["properties"]["commit"],
        "3f2a9c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f708"
    );
    assert_eq!(run["results"][4]["suppressions"][0]["kind"], "inSource");
    assert!(run["results"][2]["partialFingerprints"]["corral/v1"].is_string());
}

#[test]
fn sarif_output_is_valid_against_the_official_sarif_2_1_0_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");

    let mut empty = Report::new("0.1.0", at("2026-01-05T10:00:00Z"));
    empty.roots = vec![".".into()];
    for (name, report) in [("full", report()), ("empty", empty)] {
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif(&report, &rules())).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{name} report: {errors:#?}");
    }
}

#[test]
fn the_schema_check_rejects_an_invalid_log() {
    // Guards the test above: a validator that accepted anything would prove nothing.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut sarif: serde_json::Value =
        serde_json::from_str(&render_sarif(&report(), &rules())).unwrap();
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&sarif));
}
