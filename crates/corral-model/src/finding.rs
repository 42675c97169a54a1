//! One problem found by any scanner.
//!
//! Every scanner (secrets, dependencies, code, AI-assistant configuration, licences) reports
//! through this one type, so that outputs (human, JSON, SARIF), baselines, suppression and the
//! server's per-asset history work the same for all of them.
//!
//! A finding's [`fingerprint`](Finding::fingerprint) identifies it across runs: it is built
//! from what the problem *is* (scanner, rule, file, and the offending value or code), never
//! from the line number, so adding a line above a finding does not turn it into a new one.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::redaction::RedactedSecret;
use crate::severity::{Confidence, Severity};

/// Where a finding is. Lines and columns are 1-based; columns count Unicode code points.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
    pub line: u32,
    pub column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// Set when the finding comes from git history rather than the working tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<CommitInfo>,
}

impl Location {
    pub fn new(path: impl Into<String>, line: u32, column: u32) -> Self {
        Self {
            path: path.into(),
            line,
            column,
            end_line: None,
            end_column: None,
            commit: None,
        }
    }
}

/// The commit a finding was introduced in (for `--history` scans).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitInfo {
    /// Full hex object id.
    pub id: String,
    pub author: String,
    pub date: DateTime<Utc>,
}

/// One problem found by a scanner. Secrets are redacted *before* a finding is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// Which scanner found it: `secrets`, `deps`, `code`, `ai-config`, `license`.
    pub scanner: String,
    /// Stable rule identifier, e.g. `github-pat` or `py-sql-injection`.
    pub rule_id: String,
    /// Short human title of the rule.
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub location: Location,
    /// CWE numbers, e.g. `[89]` for SQL injection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cwe: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// What is wrong here, specifically (not the rule's generic text).
    pub message: String,
    /// How to fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Stable identity across runs; see the module docs.
    pub fingerprint: String,
    /// The secret, redacted, for secret findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<RedactedSecret>,
    /// The offending line, with any secret in it already redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// Scanner-specific structured facts (package, advisory ids, the package a typosquat
    /// imitates, …). Keys are documented by each scanner.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, serde_json::Value>,
}

/// Builds a fingerprint from the parts that identify a finding.
///
/// Parts are length-prefixed before hashing so that `["ab", "c"]` and `["a", "bc"]` differ.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_sensitive_to_part_boundaries() {
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
