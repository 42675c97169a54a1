//! The dependency scanner end to end: OSV fixtures imported into a data directory, a names
//! snapshot loaded, a small project tree scanned, findings checked.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use corral_deps::advisory::AdvisoryDb;
use corral_deps::advisory::import::import_into;
use corral_deps::package_index::{PackageIndex, parse_name_list, write_snapshot};
use corral_deps::{Checker, DepsConfig, DepsScanner};
use corral_model::{ComponentSource, Ecosystem, ScanOutput, Scanner, Severity, SourceFile};

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// A data directory with the OSV fixtures and both name snapshots.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    import_into(dir.path(), &fixtures().join("osv"), false, Utc::now()).unwrap();
    for (ecosystem, file) in [
        (Ecosystem::PyPI, "pypi-names.txt"),
        (Ecosystem::Npm, "npm-names.txt"),
    ] {
        let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
        write_snapshot(
            dir.path(),
            ecosystem,
            parse_name_list(ecosystem, &text),
            file,
            Utc::now(),
        )
        .unwrap();
    }
    dir
}

fn scanner(data: &Path, config: DepsConfig) -> DepsScanner {
    let today = NaiveDate::from_ymd_opt(2010, 4, 10).unwrap();
    DepsScanner::new(Checker::new(
        config,
        AdvisoryDb::open(data).unwrap(),
        PackageIndex::open(data).unwrap(),
        Some(data.to_path_buf()),
        today,
    ))
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, std::fs::read(&path).unwrap()));
        }
    }
}

fn scan(root: &Path, scanner: &DepsScanner) -> ScanOutput {
    let mut files = Vec::new();
    walk(root, root, &mut files);
    let mut out = ScanOutput::default();
    for (path, content) in &files {
        if scanner.wants(path) {
            scanner.scan_file(&SourceFile::whole(path, content), &mut out);
        }
    }
    scanner.finish(&mut out);
    out
}

fn finding<'a>(out: &'a ScanOutput, rule: &str, package: &str) -> &'a corral_model::Finding {
    out.findings
        .iter()
        .find(|f| {
            f.rule_id == rule && f.details.get("package").and_then(|p| p.as_str()) == Some(package)
        })
        .unwrap_or_else(|| panic!("no {rule} finding for {package}: {:#?}", out.findings))
}

#[test]
fn importing_osv_fixtures_skips_withdrawn_foreign_and_broken_records() {
    let dir = tempfile::tempdir().unwrap();
    let summary = import_into(dir.path(), &fixtures().join("osv"), false, Utc::now()).unwrap();
    assert_eq!(summary.withdrawn, 1);
    assert_eq!(summary.other_ecosystems, 1);
    assert_eq!(summary.problems.len(), 1);
    assert!(summary.problems[0].file.ends_with("broken.json"));
    let db = AdvisoryDb::open(dir.path()).unwrap();
    assert!(
        db.lookup(Ecosystem::PyPI, "pandas").unwrap().is_empty(),
        "withdrawn records never match"
    );
    assert_eq!(
        db.lookup(Ecosystem::Npm, "express").unwrap()[0].id,
        "GHSA-rv95-896h-c2vc"
    );
}

#[test]
fn a_pinned_vulnerable_version_gets_one_finding_for_all_aliases_with_the_fix() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let vulns: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps-vulnerable" && f.details["package"] == "requests")
        .collect();
    assert_eq!(
        vulns.len(),
        1,
        "PYSEC and GHSA records of one CVE merge: {vulns:#?}"
    );
    let f = vulns[0];
    assert_eq!(f.severity, Severity::High, "CVSS 7.5");
    assert_eq!(f.details["fixed_version"], "2.20.0");
    assert_eq!(
        f.details["advisories"],
        serde_json::json!(["GHSA-x84v-xcm2-53pg", "PYSEC-2018-28"])
    );
    assert!(f.message.contains("CVE-2018-18074"), "{}", f.message);
    assert_eq!(
        (f.location.path.as_str(), f.location.line),
        ("service/requirements.txt", 1)
    );
}

#[test]
fn lockfile_versions_are_checked_and_the_manifest_range_is_not_reported_as_unpinned() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let lodash = finding(&out, "deps-vulnerable", "lodash");
    assert_eq!(lodash.details["fixed_version"], "4.17.21");
    let express = finding(&out, "deps-vulnerable", "express");
    assert_eq!(express.details["version"], "4.17.1");
    assert_eq!(express.details["fixed_version"], "4.19.2");
    assert_eq!(express.severity, Severity::Medium);
    assert!(
        !out.findings
            .iter()
            .any(|f| f.rule_id == "deps-unpinned" && f.details["package"] == "express")
    );
}

#[test]
fn scripts_without_a_manifest_are_checked_through_their_imports() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let imported: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.source == ComponentSource::Import)
        .map(|c| (c.path.as_str(), c.name.as_str()))
        .collect();
    // helpers is a local module; service/app.py is covered by service/requirements.txt.
    assert_eq!(
        imported,
        [
            ("scripts/sync.py", "pyyaml"),
            ("scripts/sync.py", "reqeusts"),
            ("scripts/sync.py", "huggingface-helper-utils")
        ]
    );
    let malicious = finding(&out, "deps-malicious", "reqeusts");
    assert_eq!(malicious.severity, Severity::Critical);
    let missing = finding(&out, "deps-nonexistent", "huggingface-helper-utils");
    assert_eq!(missing.severity, Severity::Critical);
    assert!(missing.message.contains("anyone can register it"));
    assert_eq!(
        finding(&out, "deps-unpinned", "pyyaml").severity,
        Severity::Low
    );
}

#[test]
fn typosquats_too_new_packages_and_ranges_are_reported() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let squat = finding(&out, "deps-typosquat", "djang0");
    assert_eq!(squat.details["imitates"], "django");
    assert_eq!(squat.severity, Severity::High);
    let young = finding(&out, "deps-too-new", "flask");
    assert_eq!(young.details["age_days"], 4);
    // A pinned version younger than the minimum, though the project itself is old.
    let young_version = finding(&out, "deps-too-new", "requests");
    assert_eq!(young_version.details["age_days"], 2);
    assert_eq!(young_version.details["released"], "2010-04-08");
    assert!(
        young_version
            .message
            .contains("`requests` 2.19.0 was published 2 days ago"),
        "{}",
        young_version.message
    );
    assert!(
        finding(&out, "deps-unpinned", "flask")
            .message
            .contains(">=2.0")
    );
}

#[test]
fn an_allow_list_reports_everything_outside_it() {
    let data = data_dir();
    let config = DepsConfig {
        allow: vec!["requests".into(), "npm:express".into()],
        ..DepsConfig::default()
    };
    let out = scan(&fixtures().join("project"), &scanner(data.path(), config));
    let outside: std::collections::BTreeSet<_> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps-not-allowed")
        .map(|f| f.details["package"].as_str().unwrap().to_string())
        .collect();
    assert!(
        outside.contains("lodash") && outside.contains("flask"),
        "{outside:?}"
    );
    assert!(!outside.contains("requests") && !outside.contains("express"));
}

#[test]
fn without_data_existence_and_advisory_checks_are_skipped_with_a_note() {
    let empty = tempfile::tempdir().unwrap();
    let out = scan(
        &fixtures().join("project"),
        &scanner(empty.path(), DepsConfig::default()),
    );
    assert!(
        !out.findings
            .iter()
            .any(|f| f.rule_id == "deps-nonexistent" || f.rule_id == "deps-vulnerable")
    );
    let notes: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps-check-skipped")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|m| m.contains("existence checks for PyPI")),
        "{notes:?}"
    );
    // The fixture project has Python and npm packages and no advisories were imported: each
    // ecosystem gets exactly one note saying its advisory checks were skipped.
    for ecosystem in ["PyPI", "npm"] {
        let wanted = format!(
            "advisory checks for {ecosystem} packages were skipped: no data has been loaded"
        );
        assert_eq!(
            notes.iter().filter(|m| **m == wanted).count(),
            1,
            "{wanted:?} in {notes:?}"
        );
    }
    let advisory_note = out
        .findings
        .iter()
        .find(|f| f.rule_id == "deps-check-skipped" && f.details["check"] == "advisory checks")
        .expect("a skipped-advisories note");
    assert_eq!(advisory_note.severity, Severity::Info);
    assert!(
        advisory_note
            .fix
            .as_deref()
            .is_some_and(|fix| fix.contains("corral db import")),
        "the note says how to load advisories: {:?}",
        advisory_note.fix
    );
    // Typosquats need no downloaded data: the popular list ships with Corral.
    assert_eq!(
        finding(&out, "deps-typosquat", "djang0").details["imitates"],
        "django"
    );
}

#[test]
fn the_report_for_the_fixture_project_is_stable() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let mut rows: Vec<String> = out
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{} {}",
                f.severity, f.rule_id, f.location.path, f.location.line, f.message
            )
        })
        .collect();
    rows.sort();
    insta::assert_snapshot!(rows.join("\n"));
}

#[test]
fn malformed_files_are_reported_with_file_and_line_and_the_rest_is_read() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("malformed"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let mut errors: Vec<_> = out
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line, e.scanner.as_str()))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("package-lock.json", Some(6), "deps"),
            ("package.json", Some(5), "deps"),
            ("pnpm-lock.yaml", Some(3), "deps"),
            ("poetry.lock", Some(7), "deps"),
            ("pyproject.toml", Some(1), "deps"),
            ("requirements.txt", Some(1), "deps"),
            ("uv.lock", Some(6), "deps"),
            ("yarn.lock", Some(8), "deps"),
        ]
    );
    let reason = |path: &str| {
        out.errors
            .iter()
            .find(|e| e.path == path)
            .map(|e| e.message.as_str())
            .unwrap()
    };
    assert!(
        reason("package-lock.json").starts_with("not valid JSON: trailing comma"),
        "{}",
        reason("package-lock.json")
    );
    assert_eq!(
        reason("yarn.lock"),
        "unexpected line `this line was pasted by mistake`"
    );
    assert!(
        reason("uv.lock").starts_with("not valid TOML:"),
        "{}",
        reason("uv.lock")
    );
    assert_eq!(
        reason("poetry.lock"),
        "[[package]] entry #2 has no `name`, so it was skipped; the other entries were read"
    );
    // What could be read around the damage still counts.
    let read: Vec<_> = out
        .components
        .iter()
        .filter(|c| ["yarn.lock", "poetry.lock"].contains(&c.path.as_str()))
        .map(|c| (c.path.as_str(), c.name.as_str(), c.version.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            ("poetry.lock", "httpx", Some("0.27.0")),
            ("yarn.lock", "lodash", Some("4.17.15")),
            ("yarn.lock", "left-pad", Some("1.3.0")),
        ]
    );
    assert!(
        out.components.iter().any(|c| c.name == "flask"),
        "the good line still counts"
    );
}

#[test]
fn an_osv_zip_export_imports_like_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let summary = import_into(
        dir.path(),
        &fixtures().join("osv-export/all.zip"),
        false,
        Utc::now(),
    )
    .unwrap();
    assert_eq!((summary.records, summary.withdrawn), (4, 1));
    assert!(summary.problems.is_empty(), "{:?}", summary.problems);
    let status = &summary.written[0];
    assert_eq!(
        (status.ecosystem, status.advisories, status.malicious),
        (Ecosystem::PyPI, 3, 1)
    );
}

fn includes_scan() -> ScanOutput {
    let data = data_dir();
    scan(
        &fixtures().join("includes"),
        &scanner(data.path(), DepsConfig::default()),
    )
}

#[test]
fn requirements_included_with_dash_r_are_read_relative_to_the_including_file() {
    let out = includes_scan();
    let mut got: Vec<_> = out
        .components
        .iter()
        .map(|c| {
            (
                c.path.as_str(),
                c.line,
                c.name.as_str(),
                c.version.as_deref(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("cycle/loop.txt", Some(2), "pandas", Some("2.2.0")),
            ("cycle/requirements.txt", Some(2), "numpy", Some("1.26.4")),
            ("service/base.txt", Some(1), "numpy", Some("1.26.4")),
            // Pulled in by base.txt (`-r common/shared.in`), pinned by the constraints.
            ("service/common/shared.in", Some(1), "pyyaml", Some("6.0.1")),
            (
                "service/requirements.txt",
                Some(4),
                "requests",
                Some("2.19.1")
            ),
        ],
        "files nothing includes (unused.txt, notes.txt) and constraints add no components"
    );
}

#[test]
fn constraint_pins_decide_the_version_that_advisories_are_matched_against() {
    let out = includes_scan();
    let requests = finding(&out, "deps-vulnerable", "requests");
    assert_eq!(requests.details["version"], "2.19.1");
    assert_eq!(requests.details["requirement"], ">=2.0");
    assert_eq!(requests.details["fixed_version"], "2.20.0");
    assert_eq!(
        (requests.location.path.as_str(), requests.location.line),
        ("service/requirements.txt", 4)
    );
    let unpinned: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps-unpinned")
        .map(|f| f.details["package"].as_str().unwrap())
        .collect();
    assert!(
        unpinned.is_empty(),
        "every requirement is pinned by the constraints file: {unpinned:?}"
    );
    assert!(
        !out.findings
            .iter()
            .any(|f| f.details.get("package").and_then(|p| p.as_str()) == Some("djang0")),
        "a constraint on a package nothing requires installs nothing"
    );
}

#[test]
fn includes_that_cannot_be_followed_are_reported_at_their_file_and_line() {
    let out = includes_scan();
    let mut errors: Vec<_> = out
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line, e.message.as_str()))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            (
                "cycle/loop.txt",
                Some(1),
                "`-r requirements.txt` closes an include cycle (cycle/requirements.txt → cycle/loop.txt → cycle/requirements.txt); it is not followed again"
            ),
            (
                "service/requirements.txt",
                Some(5),
                "`-r missing.txt`: `service/missing.txt` is not in this scan (it does not exist, is excluded, or does not read as a requirements file), so its requirements were not checked"
            ),
            (
                "service/requirements.txt",
                Some(6),
                "`-r ../../outside.txt` points outside the scanned tree, so its requirements were not checked; scan the directory that holds it"
            ),
            (
                "service/requirements.txt",
                Some(7),
                "`-r https://example.invalid/remote.txt` is a remote file; Corral does not fetch it, so its requirements were not checked"
            ),
        ]
    );
    assert!(out.errors.iter().all(|e| e.scanner == "deps"));
}

#[test]
fn an_unpinned_poetry_caret_range_is_matched_against_advisories_through_pep_440() {
    let data = data_dir();
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("pyproject.toml"),
        "[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"^2.19\"\n",
    )
    .unwrap();
    let out = scan(project.path(), &scanner(data.path(), DepsConfig::default()));
    let vulnerable = finding(&out, "deps-vulnerable", "requests");
    assert!(
        vulnerable
            .message
            .contains("`^2.19` admits affected versions (e.g. 2.19)"),
        "{}",
        vulnerable.message
    );
    assert_eq!(vulnerable.details["fixed_version"], "2.20.0");
    assert!(
        finding(&out, "deps-unpinned", "requests")
            .message
            .contains("`^2.19`"),
        "the report shows the constraint as written"
    );

    // A caret range that starts above the fix admits nothing affected.
    std::fs::write(
        project.path().join("pyproject.toml"),
        "[tool.poetry.dependencies]\nrequests = \"^2.20\"\n",
    )
    .unwrap();
    let out = scan(project.path(), &scanner(data.path(), DepsConfig::default()));
    assert!(
        !out.findings.iter().any(|f| f.rule_id == "deps-vulnerable"),
        "{:#?}",
        out.findings
    );
}

#[test]
fn an_include_of_a_real_file_outside_the_scan_is_reported_and_never_read() {
    let data = data_dir();
    let outer = tempfile::tempdir().unwrap();
    let secret = outer.path().join("pins.txt");
    std::fs::write(&secret, "leaked-name==1.0\n").unwrap();
    let project = outer.path().join("project");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(
        project.join("requirements.txt"),
        format!(
            "requests==2.31.0\n-r ../pins.txt\n-r {}\n",
            secret.display()
        ),
    )
    .unwrap();
    let out = scan(&project, &scanner(data.path(), DepsConfig::default()));
    assert!(
        !out.components.iter().any(|c| c.name == "leaked-name"),
        "nothing outside the scanned tree becomes part of the report"
    );
    assert!(out.components.iter().any(|c| c.name == "requests"));
    let lines: Vec<(Option<u32>, &str)> = out
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].0 == Some(2) && lines[0].1.contains("points outside the scanned tree"),
        "{lines:#?}"
    );
    assert!(
        lines[1].0 == Some(3)
            && lines[1]
                .1
                .contains("absolute path that is not among the scanned files"),
        "{lines:#?}"
    );
    assert!(out.errors.iter().all(|e| e.path == "requirements.txt"));
}

#[test]
fn a_poetry_union_is_matched_through_the_branch_that_admits_an_affected_version() {
    let data = data_dir();
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("pyproject.toml"),
        "[tool.poetry.dependencies]\nrequests = \"^1.0 || ^2.19\"\n",
    )
    .unwrap();
    let out = scan(project.path(), &scanner(data.path(), DepsConfig::default()));
    let vulnerable = finding(&out, "deps-vulnerable", "requests");
    assert!(
        vulnerable
            .message
            .contains("`^1.0 || ^2.19` admits affected versions"),
        "{}",
        vulnerable.message
    );

    std::fs::write(
        project.path().join("pyproject.toml"),
        "[tool.poetry.dependencies]\nrequests = \"^2.20 || ^3.0\"\n",
    )
    .unwrap();
    let out = scan(project.path(), &scanner(data.path(), DepsConfig::default()));
    assert!(
        !out.findings.iter().any(|f| f.rule_id == "deps-vulnerable"),
        "{:#?}",
        out.findings
    );
}

/// Writes `files` (path, content) under a fresh temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn imports_a_covering_manifest_does_not_declare_are_reported_as_undeclared() {
    let data = data_dir();
    let project = tree(&[
        (
            "service/requirements.txt",
            "requests==2.31.0\nflask==2.0.1\n",
        ),
        (
            "service/jobs/run.py",
            "import os\nimport requests\nimport yaml\nfrom flask import Flask\nimport helpers\n",
        ),
        ("service/jobs/helpers.py", "X = 1\n"),
        ("scripts/free.py", "import numpy\n"),
        (
            "web/package.json",
            r#"{"name": "web", "dependencies": {"express": "4.18.2"}}"#,
        ),
        (
            "web/src/app.js",
            "const fs = require('fs');\nconst express = require('express');\nconst _ = require('lodash');\nconst local = require('./local');\n",
        ),
    ]);
    let out = scan(project.path(), &scanner(data.path(), DepsConfig::default()));
    let undeclared: Vec<(&str, u32, &str)> = out
        .findings
        .iter()
        .filter(|f| f.rule_id == "deps-undeclared")
        .map(|f| {
            (
                f.location.path.as_str(),
                f.location.line,
                f.details["package"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        undeclared,
        [
            ("service/jobs/run.py", 3, "pyyaml"),
            ("web/src/app.js", 3, "lodash")
        ],
        "declared packages, the standard library, node built-ins and local modules are not reported"
    );
    let yaml = finding(&out, "deps-undeclared", "pyyaml");
    assert!(
        yaml.message
            .contains("not declared in `service/requirements.txt`"),
        "{}",
        yaml.message
    );
    assert_eq!(yaml.severity, Severity::Medium);
    assert!(
        !out.findings
            .iter()
            .any(|f| f.rule_id == "deps-unpinned" && f.details["package"] == "pyyaml"),
        "an undeclared import is reported once, as undeclared"
    );
    // A script no manifest covers keeps the inferred-dependency report.
    let numpy = finding(&out, "deps-unpinned", "numpy");
    assert!(
        numpy
            .message
            .contains("without being declared in any manifest"),
        "{}",
        numpy.message
    );
    // Undeclared imports are part of the inventory.
    assert!(out.components.iter().any(|c| c.name == "pyyaml"
        && c.source == ComponentSource::Import
        && c.path == "service/jobs/run.py"));
    assert!(
        !out.components
            .iter()
            .any(|c| c.source == ComponentSource::Import && c.name == "requests"),
        "a declared import adds nothing: the manifest is the better record"
    );
}

#[test]
fn the_data_directory_remembers_when_each_ecosystem_was_loaded() {
    // `corral db status` reports each ecosystem's age from these times and warns past
    // `stale_after_days`: they must survive reopening the data directory.
    let dir = tempfile::tempdir().unwrap();
    let advisories_at = Utc::now() - chrono::Duration::days(10);
    import_into(dir.path(), &fixtures().join("osv"), false, advisories_at).unwrap();
    let names_at = Utc::now() - chrono::Duration::days(3);
    write_snapshot(
        dir.path(),
        Ecosystem::Npm,
        parse_name_list(Ecosystem::Npm, "express\nlodash\n"),
        "npm-names.txt",
        names_at,
    )
    .unwrap();

    let db = AdvisoryDb::open(dir.path()).unwrap();
    let mut ages: Vec<(Ecosystem, i64)> = db
        .status()
        .iter()
        .map(|s| (s.ecosystem, (Utc::now() - s.imported_at).num_days()))
        .collect();
    ages.sort_by_key(|(e, _)| e.as_str());
    assert_eq!(ages, [(Ecosystem::PyPI, 10), (Ecosystem::Npm, 10)]);
    let index = PackageIndex::open(dir.path()).unwrap();
    let status = index.status();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].ecosystem, Ecosystem::Npm);
    assert_eq!((Utc::now() - status[0].imported_at).num_days(), 3);
    assert_eq!(DepsConfig::default().stale_after_days, 7);
}

#[test]
fn the_advisory_checks_alone_report_exactly_the_scans_advisory_findings() {
    let data = data_dir();
    let out = scan(
        &fixtures().join("project"),
        &scanner(data.path(), DepsConfig::default()),
    );
    let advisory_rules = ["deps-vulnerable", "deps-malicious"];
    let mut from_scan: Vec<_> = out
        .findings
        .iter()
        .filter(|f| advisory_rules.contains(&f.rule_id.as_str()))
        .cloned()
        .collect();
    let db = AdvisoryDb::open(data.path()).unwrap();
    let mut alone = corral_deps::advisory_findings(&db, &out.components);
    assert!(
        from_scan.len() >= 2,
        "the fixture project has vulnerable and malicious packages: {from_scan:#?}"
    );
    from_scan.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    alone.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    assert_eq!(alone, from_scan);
    assert!(
        alone
            .iter()
            .all(|f| advisory_rules.contains(&f.rule_id.as_str())),
        "nothing about names, age or pinning"
    );
}

#[test]
fn merging_a_withdrawn_record_removes_the_stored_one_and_keeps_the_rest() {
    let data = data_dir();
    let db = AdvisoryDb::open(data.path()).unwrap();
    assert!(!db.lookup(Ecosystem::Npm, "express").unwrap().is_empty());
    let withdrawn = tempfile::tempdir().unwrap();
    std::fs::write(
        withdrawn.path().join("GHSA-rv95-896h-c2vc.json"),
        r#"{"id": "GHSA-rv95-896h-c2vc", "withdrawn": "2024-05-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "express"}}]}"#,
    )
    .unwrap();
    let summary = import_into(data.path(), withdrawn.path(), true, Utc::now()).unwrap();
    assert_eq!(summary.withdrawn, 1);
    let db = AdvisoryDb::open(data.path()).unwrap();
    assert!(
        db.lookup(Ecosystem::Npm, "express").unwrap().is_empty(),
        "the withdrawn record no longer matches"
    );
    assert!(
        !db.lookup(Ecosystem::PyPI, "requests").unwrap().is_empty(),
        "other ecosystems are untouched"
    );
}
