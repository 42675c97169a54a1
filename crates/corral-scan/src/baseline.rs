//! Baselines: accepting today's findings so that only new ones fail a build.
//!
//! A team adopting Corral on an old repository runs `corral baseline create --output
//! .corral-baseline.json` once and commits the file; from then on `corral scan --baseline
//! .corral-baseline.json` reports only findings that are not in it, and counts the rest in
//! `Report::baselined`. Matching is by [`Finding::fingerprint`], which scanners build from
//! what a finding *is* (rule, file, offending value) and never from its line number, so
//! edits elsewhere in a file do not resurrect baselined findings.
//!
//! The file holds rule id, path and fingerprint per finding and nothing else: no snippet, no
//! redacted secret, so committing it reveals nothing a reader could use. Entries are sorted
//! so that regenerating a baseline gives a small, reviewable diff.
//!
//! ```json
//! {
//!   "version": 1,
//!   "created_at": "2026-01-05T10:00:00Z",
//!   "tool_version": "0.1.0",
//!   "findings": [
//!     { "rule_id": "aws-access-key-id", "path": "scripts/sync.py", "fingerprint": "5d2c…" }
//!   ]
//! }
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use corral_model::Report;
use serde::{Deserialize, Serialize};

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A set of accepted findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub created_at: DateTime<Utc>,
    /// The Corral version that wrote the file.
    pub tool_version: String,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule_id: String,
    pub path: String,
    pub fingerprint: String,
}

/// A baseline file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot parse baseline {path}: line {line}, column {column}: {message}\n  help: create it with `corral baseline create --output {path}`"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "baseline {path} has format version {found}, this corral reads version {BASELINE_VERSION}; recreate it with `corral baseline create`"
    )]
    Version { path: PathBuf, found: u32 },
    #[error("cannot write baseline {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Baseline {
    /// Records every (unsuppressed) finding of `report`.
    pub fn from_report(report: &Report, tool_version: &str) -> Self {
        let mut findings: Vec<BaselineEntry> = report
            .findings
            .iter()
            .map(|f| BaselineEntry {
                rule_id: f.rule_id.clone(),
                path: f.location.path.clone(),
                fingerprint: f.fingerprint.clone(),
            })
            .collect();
        findings.sort();
        findings.dedup();
        Self {
            version: BASELINE_VERSION,
            created_at: Utc::now(),
            tool_version: tool_version.into(),
            findings,
        }
    }

    /// Parses a baseline file's text; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, BaselineError> {
        // Check the version first, so a future format gets the version message rather than a
        // confusing complaint about a field.
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let parse_error = |e: serde_json::Error| BaselineError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        };
        let VersionOnly { version } = serde_json::from_str(text).map_err(parse_error)?;
        if version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                found: version,
            });
        }
        serde_json::from_str(text).map_err(parse_error)
    }

    pub fn load(path: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline always serialises");
        text.push('\n');
        text
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|source| BaselineError::Write {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Removes from `report.findings` every finding the baseline lists, counting them in
    /// `report.baselined`.
    pub fn apply(&self, report: &mut Report) {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let before = report.findings.len();
        report
            .findings
            .retain(|f| !known.contains(f.fingerprint.as_str()));
        report.baselined += before - report.findings.len();
    }
}

#[cfg(test)]
mod tests {
    use corral_model::{Confidence, Finding, Location, RedactedSecret, Severity};

    use super::*;

    fn finding(path: &str, fingerprint: &str) -> Finding {
        Finding {
            scanner: "secrets".into(),
            rule_id: "aws-access-key-id".into(),
            title: "AWS access key".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            location: Location::new(path, 3, 7),
            cwe: vec![798],
            tags: vec![],
            message: "m".into(),
            fix: None,
            fingerprint: fingerprint.into(),
            secret: Some(RedactedSecret::new("AKIAQWERTYUIOPASDFGH")),
            snippet: Some("key = AKIA…".into()),
            details: Default::default(),
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        let mut report = Report::new("0.1.0", Utc::now());
        report.findings = findings;
        report
    }

    #[test]
    fn a_baseline_hides_known_findings_and_counts_them() {
        let old = report(vec![finding("a.py", "f1"), finding("b.py", "f2")]);
        let baseline = Baseline::from_report(&old, "0.1.0");
        let mut new = report(vec![
            finding("a.py", "f1"),
            finding("b.py", "f2"),
            finding("c.py", "f3"),
        ]);
        baseline.apply(&mut new);
        assert_eq!(new.baselined, 2);
        assert_eq!(new.findings.len(), 1);
        assert_eq!(new.findings[0].fingerprint, "f3");
    }

    #[test]
    fn a_baseline_file_holds_no_snippet_or_secret_and_round_trips() {
        let baseline = Baseline::from_report(&report(vec![finding("a.py", "f1")]), "0.1.0");
        let json = baseline.to_json();
        assert!(!json.contains("AKIA"), "{json}");
        assert!(!json.contains("snippet"), "{json}");
        let back = Baseline::parse(&json, Path::new("b.json")).unwrap();
        assert_eq!(back, baseline);
    }

    #[test]
    fn entries_are_sorted_and_deduplicated_for_small_diffs() {
        let baseline = Baseline::from_report(
            &report(vec![
                finding("z.py", "f9"),
                finding("a.py", "f1"),
                finding("a.py", "f1"),
            ]),
            "0.1.0",
        );
        let paths: Vec<_> = baseline.findings.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["a.py", "z.py"]);
    }

    #[test]
    fn a_malformed_baseline_names_the_file_and_the_line() {
        let err = Baseline::parse("{\n  \"version\": 1,\n  oops\n}", Path::new("base.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("base.json") && err.contains("line 3"), "{err}");
        let err = Baseline::parse(
            r#"{"version": 7, "created_at": "x", "findings": []}"#,
            Path::new("base.json"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("version 7"), "{err}");
    }
}
