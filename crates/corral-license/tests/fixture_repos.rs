//! Whole repositories through the licence scanner, under the default and a custom policy.

mod support;

use std::collections::BTreeMap;

use corral_license::{LicenseConfig, LicenseScanner};
use corral_model::{Component, ComponentSource, Ecosystem, ScanOutput};

#[derive(serde::Deserialize)]
struct Fixture {
    files: BTreeMap<String, String>,
}

fn files() -> BTreeMap<String, String> {
    let path = format!(
        "{}/tests/fixtures/mixed-repo.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let fixture: Fixture = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    fixture.files
}

fn render(out: &ScanOutput) -> String {
    let mut lines: Vec<String> = out
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} [{}] {}",
                f.location.path, f.location.line, f.rule_id, f.severity, f.message
            )
        })
        .collect();
    lines.sort();
    let mut errors: Vec<String> = out
        .errors
        .iter()
        .map(|e| format!("{}:{} {}", e.path, e.line.unwrap_or(0), e.message))
        .collect();
    errors.sort();
    format!(
        "findings:\n{}\nerrors:\n{}\n",
        lines.join("\n"),
        errors.join("\n")
    )
}

#[test]
fn the_default_policy_denies_strong_copyleft_and_warns_on_weak() {
    let scanner = LicenseScanner::new(&LicenseConfig::default()).unwrap();
    let out = support::scan_repo(&scanner, &files());
    insta::assert_snapshot!(render(&out));
}

#[test]
fn an_organisation_policy_changes_what_is_reported_and_how_severely() {
    let table: toml::Table = toml::from_str(
        r#"
        [license]
        allow = ["permissive", "weak-copyleft", "GPL-2.0-or-later"]
        warn = ["strong-copyleft"]
        deny = ["network-copyleft"]
        unknown = "allow"
        "#,
    )
    .unwrap();
    let scanner = LicenseScanner::from_config_table(&table).unwrap();
    let out = support::scan_repo(&scanner, &files());
    let mut found: Vec<(String, String)> = out
        .findings
        .iter()
        .map(|f| (f.location.path.clone(), f.severity.to_string()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("package-lock.json".to_string(), "high".to_string()),
            ("package.json".into(), "medium".into()),
            ("src/server.py".into(), "high".into()),
            (
                "venv/lib/python3.12/site-packages/pdfmerge-1.4.dist-info/METADATA".into(),
                "medium".into()
            ),
        ]
    );
}

fn component(name: &str, path: &str, license: Option<&str>) -> Component {
    Component {
        ecosystem: Ecosystem::Npm,
        name: name.into(),
        version: Some("2.1.0".into()),
        requirement: None,
        source: ComponentSource::Lockfile,
        path: path.into(),
        line: Some(4),
        direct: true,
        license: license.map(Into::into),
    }
}

#[test]
fn components_get_their_declared_licence_and_other_scanners_licences_are_judged() {
    let scanner = LicenseScanner::new(&LicenseConfig::default()).unwrap();
    let mut seed = ScanOutput::default();
    seed.components
        .push(component("chartkit", "package-lock.json", None));
    seed.components.push(component(
        "mongo-like",
        "services/yarn.lock",
        Some("SSPL-1.0"),
    ));
    let out = support::scan_repo_with(&scanner, &files(), seed);
    assert_eq!(out.components[0].license.as_deref(), Some("AGPL-3.0-only"));
    let sspl: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.location.path == "services/yarn.lock")
        .collect();
    assert_eq!(sspl.len(), 1);
    assert_eq!(sspl[0].location.line, 4);
    assert!(
        sspl[0].message.contains("SSPL-1.0 (network copyleft)"),
        "{}",
        sspl[0].message
    );
    let chartkit = out
        .findings
        .iter()
        .filter(|f| f.details.get("package").and_then(|p| p.as_str()) == Some("chartkit"))
        .count();
    assert_eq!(
        chartkit, 1,
        "a lockfile package is judged once, not again as a component"
    );
}

#[test]
fn a_history_hunk_is_checked_for_tags_and_notices_but_not_parsed_as_a_manifest() {
    use corral_model::{Scanner, SourceFile};
    let scanner = LicenseScanner::new(&LicenseConfig::default()).unwrap();
    let hunk = SourceFile {
        path: "package.json",
        content: b"  \"license\": \"GPL-3.0\",\n",
        first_line: 3,
        commit: None,
    };
    let mut out = ScanOutput::default();
    scanner.scan_file(&hunk, &mut out);
    assert!(out.errors.is_empty() && out.findings.is_empty());
    let source = SourceFile {
        path: "src/a.py",
        content: b"x = 1\n# SPDX-License-Identifier: GPL-3.0-only\n",
        first_line: 10,
        commit: None,
    };
    scanner.scan_file(&source, &mut out);
    assert_eq!(out.findings[0].location.line, 11);
}
