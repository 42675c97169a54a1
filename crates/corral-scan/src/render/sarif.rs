//! SARIF 2.1.0, the format GitHub code scanning and most security dashboards import.
//!
//! The mapping, chosen to match what GitHub code scanning reads:
//!
//! * one `run` whose `tool.driver.rules` lists every rule of the scanners that ran (from
//!   [`Scanner::rules`](corral_model::Scanner::rules)), with title, description and help, a
//!   default level, and in `properties`: `tags` (the rule's tags, `security`, and each CWE as
//!   `CWE-NNN`), `precision` and `security-severity` (the number GitHub turns into its own
//!   critical/high/medium/low labels);
//! * one `result` per finding: `level` is `error` for critical and high, `warning` for
//!   medium, `note` for low and info; the location is the file (a relative URI), start line
//!   and column (Unicode code points, declared in `columnKind`); `partialFingerprints` carries
//!   Corral's fingerprint so alerts survive line moves; commit, author and date from history
//!   scans are in `properties`;
//! * findings silenced by `corral:allow` are included with an `inSource` suppression, which
//!   viewers show as dismissed rather than hiding them;
//! * files a scanner could not process are `toolExecutionNotifications` on the invocation.
//!
//! The types below cover exactly this subset; the test suite validates the output against
//! the official SARIF 2.1.0 JSON schema.

use std::collections::{BTreeMap, HashMap};

use corral_model::{Confidence, Finding, Report, RuleInfo, Severity};
use serde::Serialize;

/// The `$schema` value: the OASIS-published schema of SARIF 2.1.0 (errata 01).
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Renders `report` as a SARIF 2.1.0 log. `rules` are the rules of the scanners that ran.
pub fn render_sarif(report: &Report, rules: &[RuleInfo]) -> String {
    let log = sarif_log(report, rules);
    let mut text = serde_json::to_string_pretty(&log).expect("SARIF always serialises");
    text.push('\n');
    text
}

fn sarif_log(report: &Report, rules: &[RuleInfo]) -> Log {
    let mut descriptors: Vec<Descriptor> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for rule in rules {
        if !index.contains_key(&rule.id) {
            index.insert(rule.id.clone(), descriptors.len());
            descriptors.push(descriptor(rule));
        }
    }
    // A finding whose rule a scanner did not list still gets a descriptor, built from it.
    for finding in report.findings.iter().chain(&report.suppressed) {
        if !index.contains_key(&finding.rule_id) {
            index.insert(finding.rule_id.clone(), descriptors.len());
            descriptors.push(descriptor(&rule_from_finding(finding)));
        }
    }

    let mut results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| result(f, index[&f.rule_id], false))
        .collect();
    results.extend(
        report
            .suppressed
            .iter()
            .map(|f| result(f, index[&f.rule_id], true)),
    );

    let notifications = report
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Message {
                text: format!("{} ({} scanner)", e.message, e.scanner),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&e.path),
                    region: e.line.map(|line| Region {
                        start_line: line,
                        start_column: None,
                        end_line: None,
                        end_column: None,
                        snippet: None,
                    }),
                },
            }],
        })
        .collect();

    Log {
        schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "corral",
                    version: report.tool.version.clone(),
                    semantic_version: report.tool.version.clone(),
                    rules: descriptors,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The SARIF `level` for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score: it maps > 9.0 to critical, 7.0–8.9 to high, 4.0–6.9
/// to medium and 0.1–3.9 to low.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Info => None,
    }
}

fn descriptor(rule: &RuleInfo) -> Descriptor {
    let mut tags: Vec<String> = rule.tags.clone();
    tags.push("security".into());
    tags.push(rule.scanner.clone());
    tags.extend(rule.cwe.iter().map(|cwe| format!("CWE-{cwe}")));
    tags.sort();
    tags.dedup();
    let help_text = if rule.help.is_empty() {
        rule.description.clone()
    } else {
        rule.help.clone()
    };
    Descriptor {
        id: rule.id.clone(),
        name: rule.title.clone(),
        short_description: Message {
            text: rule.title.clone(),
        },
        full_description: Message {
            text: if rule.description.is_empty() {
                rule.title.clone()
            } else {
                rule.description.clone()
            },
        },
        help: MultiformatMessage {
            markdown: help_text.clone(),
            text: help_text,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags,
            precision: "high",
            security_severity: security_severity(rule.severity),
        },
    }
}

fn rule_from_finding(finding: &Finding) -> RuleInfo {
    RuleInfo {
        id: finding.rule_id.clone(),
        scanner: finding.scanner.clone(),
        title: finding.title.clone(),
        description: finding.title.clone(),
        help: finding.fix.clone().unwrap_or_default(),
        severity: finding.severity,
        cwe: finding.cwe.clone(),
        tags: finding.tags.clone(),
    }
}

fn result(finding: &Finding, rule_index: usize, suppressed: bool) -> SarifResult {
    let loc = &finding.location;
    let mut properties = BTreeMap::new();
    properties.insert("scanner".into(), finding.scanner.clone().into());
    properties.insert("severity".into(), finding.severity.as_str().into());
    properties.insert(
        "confidence".into(),
        match finding.confidence {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
        .into(),
    );
    if let Some(commit) = &loc.commit {
        properties.insert("commit".into(), commit.id.clone().into());
        properties.insert("author".into(), commit.author.clone().into());
        properties.insert("date".into(), commit.date.to_rfc3339().into());
    }
    if let Some(secret) = &finding.secret {
        properties.insert("secret".into(), secret.display().into());
    }
    let mut text = finding.message.clone();
    if let Some(fix) = &finding.fix {
        text.push_str(" Fix: ");
        text.push_str(fix);
    }
    SarifResult {
        rule_id: finding.rule_id.clone(),
        rule_index,
        level: level(finding.severity),
        message: Message { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&loc.path),
                region: Some(Region {
                    start_line: loc.line.max(1),
                    start_column: Some(loc.column.max(1)),
                    end_line: loc.end_line.filter(|&l| l >= loc.line),
                    end_column: loc.end_column.filter(|&c| c >= 1),
                    snippet: finding
                        .snippet
                        .as_ref()
                        .map(|s| Message { text: s.clone() }),
                }),
            },
        }],
        partial_fingerprints: BTreeMap::from([(
            "corral/v1".to_string(),
            finding.fingerprint.clone(),
        )]),
        suppressions: suppressed.then(|| {
            vec![Suppression {
                kind: "inSource",
                justification: "corral:allow comment on the line",
            }]
        }),
        properties,
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(path),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// Percent-encodes everything in a path that is not allowed as-is in a URI path.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: String,
    semantic_version: String,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<Suppression>>,
    properties: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Message>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }

    #[test]
    fn uris_escape_what_a_uri_path_cannot_hold() {
        assert_eq!(percent_encode("src/my file#1.py"), "src/my%20file%231.py");
        assert_eq!(percent_encode("naïve.py"), "na%C3%AFve.py");
        assert_eq!(artifact("/abs/a b").uri, "file:///abs/a%20b");
    }
}
