//! The licence policy: which licences are fine, which need a look, which are not allowed.
//!
//! Configured in `corral.toml`:
//!
//! ```toml
//! [license]
//! allow = ["permissive"]                          # no finding
//! warn = ["weak-copyleft", "source-available"]    # medium finding
//! deny = ["strong-copyleft", "network-copyleft"]  # high finding
//! unknown = "review"                              # licences in no category: low finding
//! ```
//!
//! Entries are category ids (see `rules/categories.toml`) or SPDX licence ids. An id entry
//! is more specific than a category and wins over it, so `allow = ["permissive", "MPL-2.0"]`
//! allows MPL-2.0 although weak copyleft is a warning. A base id (`GPL-3.0`) covers its
//! `-only` and `-or-later` forms.
//!
//! Expressions combine verdicts the way the licences combine obligations: `A AND B` is as bad
//! as the worse of the two (both apply), `A OR B` as good as the better one (you may pick).

use serde::Deserialize;

use crate::category::{Categories, base_id};

/// What the policy says about a licence, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Review,
    Warn,
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Review => "review",
            Verdict::Warn => "warn",
            Verdict::Deny => "deny",
        }
    }

    /// The severity of a finding with this verdict; `None` for allowed licences.
    pub fn severity(self) -> Option<corral_model::Severity> {
        use corral_model::Severity;
        match self {
            Verdict::Allow => None,
            Verdict::Review => Some(Severity::Low),
            Verdict::Warn => Some(Severity::Medium),
            Verdict::Deny => Some(Severity::High),
        }
    }
}

/// The `[license]` section of `corral.toml`, as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LicenseConfig {
    /// Licences or categories that produce no finding.
    pub allow: Vec<String>,
    /// Licences or categories reported at medium severity.
    pub warn: Vec<String>,
    /// Licences or categories reported at high severity.
    pub deny: Vec<String>,
    /// What to do with licences in no category and unparseable expressions.
    pub unknown: Verdict,
}

impl Default for LicenseConfig {
    fn default() -> Self {
        Self {
            allow: vec!["permissive".into()],
            warn: vec!["weak-copyleft".into(), "source-available".into()],
            deny: vec!["strong-copyleft".into(), "network-copyleft".into()],
            unknown: Verdict::Review,
        }
    }
}

/// The policy could not be built from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "[license] {field}: `{entry}` is neither a licence category ({categories}) nor an SPDX licence id"
    )]
    UnknownEntry {
        field: &'static str,
        entry: String,
        categories: String,
    },
    #[error("[license]: `{entry}` is listed in both `{first}` and `{second}`; keep it in one")]
    Conflict {
        entry: String,
        first: &'static str,
        second: &'static str,
    },
}

/// One licence as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The licence as written (`GPL-3.0-or-later`, `LicenseRef-Acme`), with its exception.
    pub license: String,
    /// The category id, when the licence is in one.
    pub category: Option<String>,
    pub verdict: Verdict,
}

/// The decision about a whole expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The licences that decided it (both sides of an AND at the same verdict; the chosen
    /// side of an OR).
    pub deciding: Vec<Judged>,
}

impl Decision {
    /// `GPL-3.0-only (strong copyleft)` and friends, for messages.
    pub fn describe(&self, categories: &Categories) -> String {
        self.deciding
            .iter()
            .map(
                |j| match j.category.as_deref().and_then(|c| categories.get(c)) {
                    Some(c) => format!("{} ({})", j.license, c.title),
                    None => format!("{} (not a licence Corral knows)", j.license),
                },
            )
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The compiled policy.
#[derive(Debug)]
pub struct LicensePolicy {
    categories: Categories,
    entries: Vec<(String, Verdict)>,
    unknown: Verdict,
}

impl LicensePolicy {
    pub fn new(config: &LicenseConfig, categories: Categories) -> Result<Self, PolicyError> {
        let mut entries: Vec<(String, Verdict, &'static str)> = Vec::new();
        for (field, list, verdict) in [
            ("allow", &config.allow, Verdict::Allow),
            ("warn", &config.warn, Verdict::Warn),
            ("deny", &config.deny, Verdict::Deny),
        ] {
            for entry in list {
                let entry = entry.trim().to_string();
                let known = categories.get(&entry).is_some()
                    || entry.starts_with("LicenseRef-")
                    || spdx::license_id(&entry).is_some()
                    || spdx::license_id(&format!("{entry}-only")).is_some()
                    || spdx::imprecise_license_id(&entry).is_some_and(|(_, n)| n == entry.len());
                if !known {
                    return Err(PolicyError::UnknownEntry {
                        field,
                        entry,
                        categories: categories
                            .all()
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
                if let Some((_, _, first)) = entries
                    .iter()
                    .find(|(e, _, _)| e.eq_ignore_ascii_case(&entry))
                {
                    return Err(PolicyError::Conflict {
                        entry,
                        first,
                        second: field,
                    });
                }
                entries.push((entry, verdict, field));
            }
        }
        Ok(Self {
            categories,
            entries: entries.into_iter().map(|(e, v, _)| (e, v)).collect(),
            unknown: config.unknown,
        })
    }

    pub fn categories(&self) -> &Categories {
        &self.categories
    }

    /// The verdict for one licence id, optionally with an exception.
    pub fn judge(&self, license: &str, exception: Option<&str>) -> Judged {
        let shown = match exception {
            Some(e) => format!("{license} WITH {e}"),
            None => license.to_string(),
        };
        let category = self
            .categories
            .classify(license, exception)
            .map(|c| c.id.clone());
        let by_id = self.entries.iter().find(|(entry, _)| {
            entry.eq_ignore_ascii_case(license)
                || (base_id(entry) == entry && base_id(license).eq_ignore_ascii_case(entry))
        });
        let by_category = category
            .as_deref()
            .and_then(|c| self.entries.iter().find(|(entry, _)| entry == c));
        let verdict = by_id
            .or(by_category)
            .map(|(_, v)| *v)
            .unwrap_or(self.unknown);
        Judged {
            license: shown,
            category,
            verdict,
        }
    }

    /// The decision for a parsed SPDX expression.
    pub fn decide(&self, expression: &spdx::Expression) -> Decision {
        let mut stack: Vec<Decision> = Vec::new();
        for node in expression.iter() {
            match node {
                spdx::expression::ExprNode::Req(req) => {
                    let license = req.req.license.to_string();
                    let exception = req.req.addition.as_ref().map(|a| a.to_string());
                    let judged = self.judge(&license, exception.as_deref());
                    stack.push(Decision {
                        verdict: judged.verdict,
                        deciding: vec![judged],
                    });
                }
                spdx::expression::ExprNode::Op(op) => {
                    let (Some(right), Some(left)) = (stack.pop(), stack.pop()) else {
                        continue;
                    };
                    stack.push(combine(*op, left, right));
                }
            }
        }
        stack.pop().unwrap_or(Decision {
            verdict: self.unknown,
            deciding: Vec::new(),
        })
    }

    /// The decision for an expression in text; unparseable text gets the `unknown` verdict.
    pub fn decide_text(&self, text: &str) -> Result<Decision, String> {
        parse_expression(text)
            .map(|e| self.decide(&e))
            .map_err(|e| e.to_string())
    }

    pub fn unknown(&self) -> Verdict {
        self.unknown
    }
}

fn combine(op: spdx::expression::Operator, left: Decision, right: Decision) -> Decision {
    use spdx::expression::Operator;
    match op {
        Operator::And => match left.verdict.cmp(&right.verdict) {
            std::cmp::Ordering::Greater => left,
            std::cmp::Ordering::Less => right,
            std::cmp::Ordering::Equal => {
                let mut deciding = left.deciding;
                deciding.extend(right.deciding);
                Decision {
                    verdict: left.verdict,
                    deciding,
                }
            }
        },
        Operator::Or => {
            if right.verdict < left.verdict {
                right
            } else {
                left
            }
        }
    }
}

/// Parses an SPDX expression leniently: the common non-standard spellings (`GPL-3.0+`,
/// `MIT/Apache-2.0`, `Apache 2.0`, lower-case operators, deprecated ids) are accepted, and
/// unknown ids become licence references that the policy treats as unknown.
pub fn parse_expression(text: &str) -> Result<spdx::Expression, spdx::error::ParseError> {
    let mode = spdx::ParseMode {
        allow_unknown: true,
        ..spdx::ParseMode::LAX
    };
    // Lower-case operators are common in package metadata; unknown ids being allowed, `or`
    // would otherwise be read as a licence named "or".
    let normalized = text
        .split_whitespace()
        .map(|word| match word.to_ascii_uppercase().as_str() {
            op @ ("AND" | "OR" | "WITH") => op.to_string(),
            _ => canonical_case(word),
        })
        .collect::<Vec<_>>()
        .join(" ");
    spdx::Expression::parse_mode(&normalized, mode)
}

/// `word` with a licence id in it spelt as the SPDX list spells it (`gpl-3.0-only` →
/// `GPL-3.0-only`), keeping any parentheses around it.
fn canonical_case(word: &str) -> String {
    let start = word.len() - word.trim_start_matches('(').len();
    let end = word.trim_end_matches(')').len().max(start);
    let core = &word[start..end];
    let bare = core.trim_end_matches('+');
    if spdx::license_id(bare).is_some() {
        return word.to_string();
    }
    match spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(bare))
    {
        Some(l) => format!(
            "{}{}{}{}",
            &word[..start],
            l.name,
            &core[bare.len()..],
            &word[end..]
        ),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(config: LicenseConfig) -> LicensePolicy {
        LicensePolicy::new(&config, Categories::built_in().unwrap()).unwrap()
    }

    fn verdict(p: &LicensePolicy, expr: &str) -> Verdict {
        p.decide_text(expr).unwrap().verdict
    }

    #[test]
    fn defaults_allow_permissive_warn_on_weak_and_deny_strong_copyleft() {
        let p = policy(LicenseConfig::default());
        assert_eq!(verdict(&p, "MIT"), Verdict::Allow);
        assert_eq!(verdict(&p, "MPL-2.0"), Verdict::Warn);
        assert_eq!(verdict(&p, "GPL-3.0-or-later"), Verdict::Deny);
        assert_eq!(verdict(&p, "AGPL-3.0-only"), Verdict::Deny);
        assert_eq!(verdict(&p, "LicenseRef-Acme-Internal"), Verdict::Review);
    }

    #[test]
    fn or_picks_the_most_permissive_and_and_the_most_restrictive() {
        let p = policy(LicenseConfig::default());
        let or = p.decide_text("GPL-2.0-or-later OR MIT").unwrap();
        assert_eq!(or.verdict, Verdict::Allow);
        assert_eq!(or.deciding[0].license, "MIT");
        let and = p
            .decide_text("(MIT OR Apache-2.0) AND LGPL-2.1-only")
            .unwrap();
        assert_eq!(and.verdict, Verdict::Warn);
        assert_eq!(and.deciding[0].license, "LGPL-2.1-only");
    }

    #[test]
    fn lenient_spellings_parse() {
        let p = policy(LicenseConfig::default());
        assert_eq!(verdict(&p, "GPL-3.0+"), Verdict::Deny);
        assert_eq!(verdict(&p, "MIT/Apache-2.0"), Verdict::Allow);
        assert_eq!(verdict(&p, "mit or gpl-3.0-only"), Verdict::Allow);
    }

    #[test]
    fn a_linking_exception_turns_a_denial_into_a_warning() {
        let p = policy(LicenseConfig::default());
        assert_eq!(
            verdict(&p, "GPL-2.0-only WITH Classpath-exception-2.0"),
            Verdict::Warn
        );
    }

    #[test]
    fn an_explicit_id_wins_over_its_category() {
        let p = policy(LicenseConfig {
            allow: vec!["permissive".into(), "MPL-2.0".into()],
            deny: vec![
                "strong-copyleft".into(),
                "network-copyleft".into(),
                "BSD-4-Clause".into(),
            ],
            ..LicenseConfig::default()
        });
        assert_eq!(verdict(&p, "MPL-2.0"), Verdict::Allow);
        assert_eq!(verdict(&p, "BSD-4-Clause"), Verdict::Deny);
        assert_eq!(verdict(&p, "EPL-2.0"), Verdict::Warn);
    }

    #[test]
    fn a_base_id_entry_covers_only_and_or_later_forms() {
        let p = policy(LicenseConfig {
            allow: vec!["permissive".into(), "LGPL-3.0".into()],
            ..LicenseConfig::default()
        });
        assert_eq!(verdict(&p, "LGPL-3.0-only"), Verdict::Allow);
        assert_eq!(verdict(&p, "LGPL-3.0-or-later"), Verdict::Allow);
        assert_eq!(verdict(&p, "LGPL-2.1-only"), Verdict::Warn);
    }

    #[test]
    fn invalid_policies_name_the_field_and_the_entry() {
        let bad = LicenseConfig {
            deny: vec!["strong-copyleft".into(), "GPL-9000".into()],
            ..LicenseConfig::default()
        };
        let err = LicensePolicy::new(&bad, Categories::built_in().unwrap()).unwrap_err();
        assert!(err.to_string().contains("deny: `GPL-9000`"), "{err}");
        let twice = LicenseConfig {
            allow: vec!["permissive".into(), "weak-copyleft".into()],
            ..LicenseConfig::default()
        };
        let err = LicensePolicy::new(&twice, Categories::built_in().unwrap()).unwrap_err();
        assert!(err.to_string().contains("both `allow` and `warn`"), "{err}");
    }

    #[test]
    fn the_section_parses_from_toml_with_defaults_for_missing_keys() {
        let config: LicenseConfig =
            toml::from_str("deny = [\"network-copyleft\"]\nunknown = \"allow\"").unwrap();
        assert_eq!(config.allow, vec!["permissive"]);
        assert_eq!(config.unknown, Verdict::Allow);
        let err = toml::from_str::<LicenseConfig>("alow = []").unwrap_err();
        assert!(err.to_string().contains("alow"), "{err}");
    }
}
