//! The rule catalogue: every rule this scanner reports, loaded from `rules/ai-config.toml`.
//!
//! Rules are data. Each one carries its documentation (what it finds, why it matters, how to
//! fix it), its severity and CWE numbers, and positive and negative example repositories that
//! the test suite runs through the scanner. Phrase rules also carry their regular expressions
//! here, so tuning a phrase list is a data change with its own proof next to it.
//!
//! Findings are built through [`Rule::finding`] so that every finding of a rule has the same
//! title, severity, CWE and tags as the rule's metadata in SARIF and `corral rules`.

use std::collections::BTreeMap;

use corral_model::{Confidence, Finding, Location, RuleInfo, Severity, fingerprint};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

/// The scanner id, as used by `--only` and in every finding.
pub const SCANNER_ID: &str = "ai-config";

const BUILT_IN: &str = include_str!("../rules/ai-config.toml");

/// The built-in rule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot parse the AI-config rule catalogue: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("rule `{rule}`: pattern {index} is not a valid regular expression: {error}")]
    Pattern {
        rule: String,
        index: usize,
        error: regex::Error,
    },
    #[error("rule `{0}` is listed twice")]
    Duplicate(String),
}

/// One example repository: path → file content.
pub type Example = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    title: String,
    severity: Severity,
    confidence: Confidence,
    #[serde(default)]
    cwe: Vec<u32>,
    #[serde(default)]
    tags: Vec<String>,
    description: String,
    help: String,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    negatable: bool,
    #[serde(default)]
    positive: Vec<Example>,
    #[serde(default)]
    negative: Vec<Example>,
}

/// A rule, ready to match and to build findings.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub cwe: Vec<u32>,
    pub tags: Vec<String>,
    pub description: String,
    pub help: String,
    /// Case-insensitive phrase patterns (phrase rules only).
    pub patterns: Vec<Regex>,
    /// Whether a negation before a match cancels it.
    pub negatable: bool,
    pub positive: Vec<Example>,
    pub negative: Vec<Example>,
}

/// Everything a finding needs beyond the rule itself.
#[derive(Debug, Default)]
pub struct Evidence {
    pub message: String,
    /// Identifies *what* was found (a permission entry, a package, the hidden text), so the
    /// fingerprint survives edits elsewhere in the file.
    pub key: String,
    pub snippet: Option<String>,
    pub secret: Option<corral_model::RedactedSecret>,
    pub details: BTreeMap<String, serde_json::Value>,
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
            cwe: self.cwe.clone(),
            tags: self.tags.clone(),
        }
    }

    /// Builds a finding of this rule at `location`.
    pub fn finding(&self, location: Location, evidence: Evidence) -> Finding {
        let fp = fingerprint(&[SCANNER_ID, &self.id, &location.path, &evidence.key]);
        Finding {
            scanner: SCANNER_ID.into(),
            rule_id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            confidence: self.confidence,
            location,
            cwe: self.cwe.clone(),
            tags: self.tags.clone(),
            message: evidence.message,
            fix: Some(self.help.trim().to_string()),
            fingerprint: fp,
            secret: evidence.secret,
            snippet: evidence.snippet,
            details: evidence.details,
        }
    }
}

/// The loaded catalogue.
#[derive(Debug)]
pub struct Catalogue {
    rules: Vec<Rule>,
}

impl Catalogue {
    /// Loads the catalogue shipped with this crate.
    pub fn built_in() -> Result<Self, CatalogueError> {
        Self::parse(BUILT_IN)
    }

    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let file: RuleFile = toml::from_str(text)?;
        let mut rules: Vec<Rule> = Vec::with_capacity(file.rule.len());
        for spec in file.rule {
            if rules.iter().any(|r| r.id == spec.id) {
                return Err(CatalogueError::Duplicate(spec.id));
            }
            let patterns = spec
                .patterns
                .iter()
                .enumerate()
                .map(|(index, p)| {
                    RegexBuilder::new(p)
                        .case_insensitive(true)
                        .multi_line(true)
                        .build()
                        .map_err(|error| CatalogueError::Pattern {
                            rule: spec.id.clone(),
                            index,
                            error,
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            rules.push(Rule {
                id: spec.id,
                title: spec.title,
                severity: spec.severity,
                confidence: spec.confidence,
                cwe: spec.cwe,
                tags: spec.tags,
                description: spec.description,
                help: spec.help,
                patterns,
                negatable: spec.negatable,
                positive: spec.positive,
                negative: spec.negative,
            });
        }
        Ok(Self { rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with `id`. Every id the scanner uses is in the built-in catalogue (a test
    /// checks it), so a miss is a programming error reported as a log line, not a panic.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        let rule = self.rules.iter().find(|r| r.id == id);
        if rule.is_none() {
            tracing::error!(rule = id, "rule missing from the AI-config catalogue");
        }
        rule
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalogue_loads_and_every_rule_has_examples_both_ways() {
        let catalogue = Catalogue::built_in().unwrap();
        assert!(catalogue.rules().len() >= 15);
        for rule in catalogue.rules() {
            assert!(
                !rule.positive.is_empty(),
                "{} has no positive example",
                rule.id
            );
            assert!(
                !rule.negative.is_empty(),
                "{} has no negative example",
                rule.id
            );
            assert!(rule.id.starts_with("ai-"), "{}", rule.id);
            assert!(
                rule.description.contains("**Why is this bad?**"),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn a_broken_pattern_names_the_rule_and_the_pattern() {
        let text = r#"
            [[rule]]
            id = "x"
            title = "x"
            severity = "low"
            confidence = "low"
            description = "d"
            help = "h"
            patterns = ['ok', '(unclosed']
        "#;
        let err = Catalogue::parse(text).unwrap_err().to_string();
        assert!(err.contains("rule `x`: pattern 1"), "{err}");
    }
}
