//! OSV records, as read from exports, and the compact form Corral keeps of them.
//!
//! An OSV record (`https://ossf.github.io/osv-schema/` describes the format) can name several
//! packages across ecosystems. Corral splits it per (ecosystem, package) into an
//! [`Advisory`] that keeps only what a check needs: ids and aliases (to merge PYSEC, GHSA and
//! CVE records of one problem into one finding), summary, severity, whether it is a
//! known-malicious package (`MAL-` ids), and the ranges and explicit version lists.
//! Severity is computed from a CVSS v3 vector when one is given, else taken from the
//! database's own severity word (GitHub's `database_specific.severity`), else left unknown.

use corral_model::{Ecosystem, Severity};
use serde::{Deserialize, Serialize};

use crate::cvss;
use crate::name;

/// An OSV record as exported (only the fields Corral reads).
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRecord {
    pub id: String,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub withdrawn: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    #[serde(default)]
    pub affected: Vec<OsvAffected>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OsvSeverity {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OsvAffected {
    #[serde(default)]
    pub package: Option<OsvPackage>,
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    #[serde(default)]
    pub ranges: Vec<OsvRange>,
    #[serde(default)]
    pub versions: Vec<String>,
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OsvPackage {
    pub ecosystem: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OsvRange {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub events: Vec<OsvEvent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OsvEvent {
    #[serde(default)]
    pub introduced: Option<String>,
    #[serde(default)]
    pub fixed: Option<String>,
    #[serde(default)]
    pub last_affected: Option<String>,
    #[serde(default)]
    pub limit: Option<String>,
}

/// How a range's versions are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeKind {
    /// The ecosystem's own ordering (PEP 440 for PyPI, SemVer for npm).
    Ecosystem,
    /// SemVer 2.0.
    Semver,
}

/// One event of a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRange {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// What Corral keeps of one OSV record for one package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    /// A known-malicious package (an OSV `MAL-` record): every version is bad.
    #[serde(default)]
    pub malicious: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<StoredRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

impl OsvRecord {
    /// Whether the record was withdrawn (and so must be ignored).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// Splits the record into one [`Advisory`] per (ecosystem, normalised package name) it
    /// affects, for the ecosystems Corral checks. Records of other ecosystems yield nothing.
    pub fn split(&self) -> Vec<(Ecosystem, String, Advisory)> {
        let malicious = self.id.starts_with("MAL-");
        let mut out: Vec<(Ecosystem, String, Advisory)> = Vec::new();
        for affected in &self.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            let Ok(ecosystem) = package.ecosystem.split(':').next().unwrap_or("").parse() else {
                continue;
            };
            // `parse` accepts aliases such as "pip"; OSV names are exact.
            if !matches!(package.ecosystem.as_str(), "PyPI" | "npm")
                && !package.ecosystem.starts_with("PyPI:")
                && !package.ecosystem.starts_with("npm:")
            {
                continue;
            }
            let key = name::normalize(ecosystem, &package.name);
            let ranges = affected
                .ranges
                .iter()
                .filter_map(|r| {
                    let kind = match r.kind.as_str() {
                        "ECOSYSTEM" => RangeKind::Ecosystem,
                        "SEMVER" => RangeKind::Semver,
                        _ => return None, // GIT ranges name commits, not versions.
                    };
                    let events = r
                        .events
                        .iter()
                        .filter_map(|e| {
                            if let Some(v) = &e.introduced {
                                Some(Event::Introduced(v.clone()))
                            } else if let Some(v) = &e.fixed {
                                Some(Event::Fixed(v.clone()))
                            } else if let Some(v) = &e.last_affected {
                                Some(Event::LastAffected(v.clone()))
                            } else {
                                e.limit.as_ref().map(|v| Event::Limit(v.clone()))
                            }
                        })
                        .collect();
                    Some(StoredRange { kind, events })
                })
                .collect::<Vec<_>>();
            let (severity, cvss_score, cvss_vector) = self.severity_for(affected);
            if let Some((_, _, existing)) = out
                .iter_mut()
                .find(|(e, n, _)| *e == ecosystem && *n == key)
            {
                existing.ranges.extend(ranges);
                existing.versions.extend(affected.versions.iter().cloned());
                continue;
            }
            let summary = self
                .summary
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or_else(|| {
                    self.details
                        .as_deref()
                        .and_then(|d| d.lines().find(|l| !l.trim().is_empty()))
                        .map(|l| l.chars().take(200).collect())
                })
                .unwrap_or_default();
            out.push((
                ecosystem,
                key,
                Advisory {
                    id: self.id.clone(),
                    aliases: self.aliases.clone(),
                    summary,
                    severity: if malicious {
                        Some(Severity::Critical)
                    } else {
                        severity
                    },
                    cvss_score,
                    cvss_vector,
                    malicious,
                    ranges,
                    versions: affected.versions.clone(),
                    modified: self.modified.clone(),
                },
            ));
        }
        out
    }

    /// Severity from the first scorable CVSS vector (affected-level first, then
    /// record-level; v3 before v4, as most records carry v3 and scores stay comparable), else
    /// the database's severity word.
    fn severity_for(
        &self,
        affected: &OsvAffected,
    ) -> (Option<Severity>, Option<f64>, Option<String>) {
        for version in ["CVSS_V3", "CVSS_V4"] {
            for s in affected.severity.iter().chain(&self.severity) {
                if !s.kind.starts_with(version) {
                    continue;
                }
                match cvss::score(&s.score) {
                    Ok(score) => {
                        return (
                            Some(score.severity),
                            Some(score.score),
                            Some(s.score.clone()),
                        );
                    }
                    Err(e) => tracing::debug!(
                        record = %self.id,
                        vector = %s.score,
                        "CVSS vector not scored: {e}"
                    ),
                }
            }
        }
        let word = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .and_then(|v| v.get("severity"))
                .and_then(|s| s.as_str())
                .and_then(|s| s.parse::<Severity>().ok())
        };
        let severity = word(&self.database_specific)
            .or_else(|| word(&affected.database_specific))
            .or_else(|| word(&affected.ecosystem_specific));
        (severity, None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> OsvRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_record_splits_per_package_and_computes_severity_from_cvss() {
        let r = record(
            r#"{"id":"GHSA-aaaa","aliases":["CVE-2024-1"],"summary":"Bad thing",
            "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected":[
              {"package":{"ecosystem":"PyPI","name":"Foo_Bar"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]},
              {"package":{"ecosystem":"npm","name":"foo"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]},
              {"package":{"ecosystem":"Go","name":"foo"}}
            ]}"#,
        );
        let split = r.split();
        assert_eq!(split.len(), 2);
        assert_eq!(split[0].0, Ecosystem::PyPI);
        assert_eq!(split[0].1, "foo-bar");
        assert_eq!(split[0].2.severity, Some(Severity::Critical));
        assert_eq!(split[0].2.cvss_score, Some(9.8));
        assert_eq!(split[1].2.ranges[0].kind, RangeKind::Semver);
    }

    #[test]
    fn malicious_records_are_critical_whatever_they_say() {
        let r = record(
            r#"{"id":"MAL-2024-1","summary":"Malicious code in reqeusts",
            "database_specific":{"severity":"LOW"},
            "affected":[{"package":{"ecosystem":"PyPI","name":"reqeusts"},"versions":["1.0"]}]}"#,
        );
        let (_, _, a) = &r.split()[0];
        assert!(a.malicious);
        assert_eq!(a.severity, Some(Severity::Critical));
    }

    #[test]
    fn a_record_with_only_a_cvss_v4_vector_is_scored_from_it() {
        let r = record(
            r#"{"id":"GHSA-b","database_specific":{"severity":"MODERATE"},
            "severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
            "affected":[{"package":{"ecosystem":"npm","name":"x"}}]}"#,
        );
        let (_, _, a) = &r.split()[0];
        assert_eq!(a.cvss_score, Some(9.3));
        assert_eq!(a.severity, Some(Severity::Critical));
        assert!(a.cvss_vector.as_deref().unwrap().starts_with("CVSS:4.0"));
    }

    #[test]
    fn a_v3_vector_is_preferred_when_both_are_given() {
        let r = record(
            r#"{"id":"GHSA-c","severity":[
              {"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
              {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
            "affected":[{"package":{"ecosystem":"npm","name":"x"}}]}"#,
        );
        let (_, _, a) = &r.split()[0];
        assert_eq!(a.cvss_score, Some(7.5));
        assert_eq!(a.severity, Some(Severity::High));
    }

    #[test]
    fn without_a_scorable_vector_the_database_severity_word_is_used() {
        let r = record(
            r#"{"id":"GHSA-d","database_specific":{"severity":"MODERATE"},
            "severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L"}],
            "affected":[{"package":{"ecosystem":"npm","name":"x"}}]}"#,
        );
        let (_, _, a) = &r.split()[0];
        assert_eq!(a.severity, Some(Severity::Medium));
        assert_eq!(a.cvss_score, None);
    }

    #[test]
    fn withdrawn_records_are_recognised() {
        let r = record(r#"{"id":"X","withdrawn":"2024-01-01T00:00:00Z"}"#);
        assert!(r.is_withdrawn());
    }
}
