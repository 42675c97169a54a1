//! The licence rules: documentation and examples from `rules/rules.toml`.
//!
//! Unlike most rules, a licence finding's severity is not fixed: the `[license]` policy
//! decides it per licence. The catalogue holds what SARIF and `corral rules` show (title,
//! description, help, the default policy's severity) and builds findings with the severity
//! the policy gave.

use std::collections::BTreeMap;

use corral_model::{Confidence, Finding, Location, RuleInfo, Severity, fingerprint};
use serde::Deserialize;

/// The scanner id, as used by `--only` and in every finding.
pub const SCANNER_ID: &str = "license";

const BUILT_IN: &str = include_str!("../rules/rules.toml");

/// One example repository: path → file content.
pub type Example = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(default)]
    pub tags: Vec<String>,
    pub description: String,
    pub help: String,
    #[serde(default)]
    pub positive: Vec<Example>,
    #[serde(default)]
    pub negative: Vec<Example>,
}

#[derive(Debug, Deserialize)]
struct RuleFile {
    rule: Vec<Rule>,
}

/// Loads the built-in rules.
pub fn built_in() -> Result<Vec<Rule>, toml::de::Error> {
    Ok(toml::from_str::<RuleFile>(BUILT_IN)?.rule)
}

impl Rule {
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id.clone(),
            scanner: SCANNER_ID.into(),
            title: self.title.clone(),
            description: self.description.trim().to_string(),
            help: self.help.trim().to_string(),
            severity: self.severity,
            cwe: Vec::new(),
            tags: self.tags.clone(),
        }
    }

    /// A finding of this rule; `key` identifies what was found for the fingerprint.
    pub fn finding(
        &self,
        location: Location,
        severity: Severity,
        message: String,
        key: &str,
        snippet: Option<String>,
        details: BTreeMap<String, serde_json::Value>,
    ) -> Finding {
        Finding {
            scanner: SCANNER_ID.into(),
            rule_id: self.id.clone(),
            title: self.title.clone(),
            severity,
            confidence: Confidence::High,
            fingerprint: fingerprint(&[SCANNER_ID, &self.id, &location.path, key]),
            location,
            cwe: Vec::new(),
            tags: self.tags.clone(),
            message,
            fix: Some(self.help.trim().to_string()),
            secret: None,
            snippet,
            details,
        }
    }
}
