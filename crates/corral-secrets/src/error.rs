//! What can go wrong while loading detectors.
//!
//! Scanning itself never fails: a file that cannot be decoded is scanned as bytes. Only
//! building a [`crate::SecretsScanner`] can fail, when a rule file is malformed or a rule
//! uses something the engine cannot run; every error names the source and the rule so the
//! person who wrote it can fix that rule.

/// An error building the detector set.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The TOML text itself does not parse.
    #[error("cannot parse {source_name}: {message}")]
    Toml {
        source_name: String,
        message: String,
    },
    /// One rule is invalid; the message says which field and why.
    #[error("rule `{rule_id}` in {source_name}: {message}")]
    Rule {
        source_name: String,
        rule_id: String,
        message: String,
    },
    /// The resulting detector set is unusable as a whole.
    #[error("{0}")]
    Set(String),
}

impl Error {
    pub(crate) fn rule(source_name: &str, rule_id: &str, message: impl Into<String>) -> Self {
        Error::Rule {
            source_name: source_name.to_string(),
            rule_id: rule_id.to_string(),
            message: message.into(),
        }
    }
}
