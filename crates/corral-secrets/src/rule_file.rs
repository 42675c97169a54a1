//! Corral's own detector file format (`rules/*.toml`), and the built-in set.
//!
//! Each detector is data: id, title, severity, keywords for the prefilter, a regex, optional
//! entropy and length bounds, allow patterns and its own positive and negative examples,
//! which the test suite runs. Keeping detectors out of Rust code means a reviewer can read
//! and extend them without touching the engine, and every one carries its proof.
//!
//! Two conveniences keep the files readable:
//! - `{assign}` in a regex stands for "the rest of a key name, an optional closing quote,
//!   an assignment operator (`=`, `:`, `:=`, `=>`, or whitespace) and an optional opening
//!   quote", the glue between a provider's name and a value in every config format.
//! - `{+}` in an example is removed before the example is scanned. Examples of live-format
//!   tokens are split with it so that the rule files themselves never contain a contiguous
//!   string that looks like a real credential.

use serde::Deserialize;

use crate::allowlist::Allowlist;
use crate::detector::{
    self, Check, DEFAULT_HELP, Detector, NamedGroups, Origin, Scope, SecretGroup, parse_confidence,
    parse_severity,
};
use crate::error::Error;

/// The glue between a key name and its value; see the module docs.
pub const ASSIGN: &str = r#"[\w.\-]{0,40}?["'\]]{0,2}\s{0,4}(?:=>|:=|=|:|\s)\s{0,4}["'`]?"#;

/// Marker removed from examples before scanning; see the module docs.
pub const SPLIT_MARKER: &str = "{+}";

/// The built-in rule files, embedded in the binary.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("rules/cloud.toml", include_str!("../rules/cloud.toml")),
    (
        "rules/code_hosting.toml",
        include_str!("../rules/code_hosting.toml"),
    ),
    ("rules/chat.toml", include_str!("../rules/chat.toml")),
    (
        "rules/payments.toml",
        include_str!("../rules/payments.toml"),
    ),
    ("rules/ai.toml", include_str!("../rules/ai.toml")),
    ("rules/saas.toml", include_str!("../rules/saas.toml")),
    (
        "rules/productivity.toml",
        include_str!("../rules/productivity.toml"),
    ),
    ("rules/data.toml", include_str!("../rules/data.toml")),
    ("rules/infra.toml", include_str!("../rules/infra.toml")),
    (
        "rules/monitoring.toml",
        include_str!("../rules/monitoring.toml"),
    ),
    ("rules/keys.toml", include_str!("../rules/keys.toml")),
    ("rules/generic.toml", include_str!("../rules/generic.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    detector: Vec<DetectorDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorDef {
    id: String,
    title: String,
    severity: String,
    #[serde(default)]
    confidence: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    help: Option<String>,
    keywords: Vec<String>,
    regex: String,
    #[serde(default)]
    priority: Option<u8>,
    #[serde(default)]
    secret_group: Option<usize>,
    #[serde(default)]
    entropy: Option<f64>,
    #[serde(default)]
    min_length: Option<usize>,
    #[serde(default)]
    max_length: Option<usize>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    multiline: bool,
    #[serde(default)]
    check: Option<String>,
    #[serde(default = "yes")]
    placeholders: bool,
    #[serde(default)]
    cwe: Option<Vec<u32>>,
    #[serde(default)]
    tags: Vec<String>,
    examples: ExamplesDef,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesDef {
    positive: Vec<String>,
    #[serde(default)] // missing or empty, the error below says what to add
    negative: Vec<String>,
}

/// A detector's own examples, with split markers removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectorExamples {
    pub id: String,
    pub source: String,
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

/// Parses one rule file into detectors and their examples.
pub(crate) fn parse(
    source_name: &str,
    text: &str,
) -> Result<(Vec<Detector>, Vec<DetectorExamples>), Error> {
    let file: RuleFile = toml::from_str(text).map_err(|e| Error::Toml {
        source_name: source_name.to_string(),
        message: e.to_string(),
    })?;
    let mut detectors = Vec::with_capacity(file.detector.len());
    let mut examples = Vec::with_capacity(file.detector.len());
    for def in file.detector {
        let id = def.id.clone();
        let ex = DetectorExamples {
            id: id.clone(),
            source: source_name.to_string(),
            positive: def.examples.positive.iter().map(|s| unsplit(s)).collect(),
            negative: def.examples.negative.iter().map(|s| unsplit(s)).collect(),
        };
        detectors.push(build(source_name, def)?);
        examples.push(ex);
    }
    Ok((detectors, examples))
}

fn unsplit(s: &str) -> String {
    s.replace(SPLIT_MARKER, "")
}

fn build(source_name: &str, def: DetectorDef) -> Result<Detector, Error> {
    let id = def.id.as_str();
    let err = |m: String| Error::rule(source_name, id, m);
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err(
            "`id` must be non-empty lower-case letters, digits and dashes".into(),
        ));
    }
    if def.keywords.is_empty() {
        return Err(err(
            "`keywords` is empty: every built-in detector needs keywords for the prefilter".into(),
        ));
    }
    if let Some(short) = def.keywords.iter().find(|k| k.len() < 3) {
        return Err(err(format!(
            "keyword `{short}` is shorter than 3 characters and would match almost every file"
        )));
    }
    if def.examples.positive.is_empty() {
        return Err(err("`examples.positive` is empty: add at least one".into()));
    }
    if def.examples.negative.is_empty() {
        // A rule proven only on what it should find has never been shown to stay quiet;
        // false positives are what get a scanner switched off.
        return Err(err(
            "`examples.negative` is empty: add at least one near miss the rule must not report \
             (a placeholder, a reference, a value of the wrong length)"
                .into(),
        ));
    }
    let severity = parse_severity(&def.severity).map_err(|m| err(format!("`severity`: {m}")))?;
    let confidence = match &def.confidence {
        Some(c) => parse_confidence(c).map_err(|m| err(format!("`confidence`: {m}")))?,
        None => corral_model::Confidence::High,
    };
    let pattern = def.regex.replace("{assign}", ASSIGN);
    let regex = detector::compile(&pattern).map_err(|m| err(format!("`regex`: {m}")))?;
    let secret_group = match def.secret_group {
        Some(i) if i >= regex.captures_len() => {
            return Err(err(format!(
                "`secret_group` is {i} but the regex has only {} groups",
                regex.captures_len() - 1
            )));
        }
        Some(i) => SecretGroup::Index(i),
        None => match regex.capture_names().position(|n| n == Some("secret")) {
            Some(i) => SecretGroup::Index(i),
            None => SecretGroup::FirstNonEmpty,
        },
    };
    let check = match def.check.as_deref() {
        None => None,
        Some("jwt") => Some(Check::Jwt),
        Some("generic") => Some(Check::Generic),
        Some("url-password") => Some(Check::UrlPassword),
        Some(other) => {
            return Err(err(format!(
                "unknown `check` `{other}`: expected jwt, generic or url-password"
            )));
        }
    };
    let mut allow = Vec::with_capacity(def.allow.len());
    for (i, a) in def.allow.iter().enumerate() {
        allow.push(detector::compile(a).map_err(|m| err(format!("`allow[{i}]`: {m}")))?);
    }
    let mut allowlists = Vec::new();
    if !allow.is_empty() || !def.stopwords.is_empty() {
        let mut list = Allowlist::secret_regexes(allow);
        list.stopwords = def
            .stopwords
            .iter()
            .map(|s| s.to_ascii_lowercase())
            .collect();
        allowlists.push(list);
    }
    let priority = match (def.priority, check) {
        (Some(p), _) if p > 2 => {
            return Err(err(format!("`priority` is {p}; it must be 0, 1 or 2")));
        }
        (Some(p), _) => p,
        (None, Some(Check::Generic)) => 0,
        (None, _) => 2,
    };
    let title = def.title;
    Ok(Detector {
        priority,
        id: def.id.clone(),
        description: def
            .description
            .unwrap_or_else(|| format!("Finds {title} values committed in files.")),
        help: def.help.unwrap_or_else(|| DEFAULT_HELP.to_string()),
        title,
        severity,
        confidence,
        keywords: def
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect(),
        groups: NamedGroups::of(&regex),
        regex: Some(regex),
        secret_group,
        entropy: def.entropy,
        min_length: def.min_length.unwrap_or(0),
        max_length: def.max_length.unwrap_or(usize::MAX),
        allowlists,
        path: None,
        scope: if def.multiline {
            Scope::FromLine
        } else {
            Scope::Line
        },
        check,
        placeholder_filter: def.placeholders,
        cwe: def.cwe.unwrap_or_else(|| vec![798]),
        tags: def.tags,
        origin: Origin::Builtin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[[detector]]
id = "acme-key"
title = "Acme key"
severity = "high"
keywords = ["acme_"]
regex = '''acme_[a-z0-9]{8}'''
[detector.examples]
positive = ["acme_{+}q8z4k2m7"]
negative = ["acme_xxxxxxxx"]
"#;

    #[test]
    fn a_minimal_rule_file_parses_and_examples_lose_their_split_markers() {
        let (detectors, examples) = parse("t.toml", MINIMAL).unwrap();
        assert_eq!(detectors[0].id, "acme-key");
        assert_eq!(examples[0].positive, vec!["acme_q8z4k2m7".to_string()]);
    }

    #[test]
    fn a_bad_severity_names_the_rule_and_the_field() {
        let text = MINIMAL.replace("\"high\"", "\"severe\"");
        let err = parse("t.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("acme-key") && err.contains("severity"),
            "{err}"
        );
    }

    #[test]
    fn two_letter_keywords_are_refused() {
        let text = MINIMAL.replace("[\"acme_\"]", "[\"ac\"]");
        let err = parse("t.toml", &text).unwrap_err().to_string();
        assert!(err.contains("shorter than 3"), "{err}");
    }

    #[test]
    fn a_detector_without_negative_examples_is_refused() {
        let text = MINIMAL.replace("negative = [\"acme_xxxxxxxx\"]\n", "");
        let err = parse("t.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("acme-key") && err.contains("examples.negative"),
            "{err}"
        );
        let text = MINIMAL.replace("[\"acme_xxxxxxxx\"]", "[]");
        assert!(
            parse("t.toml", &text).is_err(),
            "an empty list is refused too"
        );
    }

    #[test]
    fn unknown_fields_are_refused_rather_than_ignored() {
        let text = MINIMAL.replace("severity = \"high\"", "severity = \"high\"\nentropie = 3");
        let err = parse("t.toml", &text).unwrap_err().to_string();
        assert!(err.contains("entropie"), "{err}");
    }
}
