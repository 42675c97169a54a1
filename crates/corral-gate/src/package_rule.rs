//! Allow- and deny-list entries: a name or name pattern, optionally with a version range.
//!
//! ```toml
//! allow = ["requests", "django>=4.2,<6", "acme-*"]
//! deny = ["evil-*", "urllib3<2"]
//! ```
//!
//! Names are compared in PEP 503 form, so `Django_Rest.Framework` and
//! `django-rest-framework` are one entry. `*` in a name matches any run of characters. The
//! range is a PEP 440 specifier set, as in a requirement.

use std::fmt;

use corral_deps::name::pep503;
use corral_deps::version::{Requirement, Version};
use corral_model::Ecosystem;

/// One parsed entry.
#[derive(Debug, Clone)]
pub struct PackageRule {
    /// The entry as written, for messages.
    pub text: String,
    /// Normalised name, possibly with `*`.
    pattern: String,
    range: Option<Requirement>,
}

/// An entry that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{entry}` is not a package rule: {reason}")]
pub struct RuleError {
    pub entry: String,
    pub reason: String,
}

impl PackageRule {
    pub fn parse(entry: &str) -> Result<Self, RuleError> {
        let error = |reason: &str| RuleError {
            entry: entry.to_string(),
            reason: reason.to_string(),
        };
        let text = entry.trim();
        let split = text
            .find(['<', '>', '=', '!', '~', ' '])
            .unwrap_or(text.len());
        let (name, spec) = (text[..split].trim(), text[split..].trim());
        if name.is_empty() {
            return Err(error("the package name is missing"));
        }
        let valid = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*'));
        if !valid {
            return Err(error(
                "a name may use letters, digits, `-`, `_`, `.` and `*` only",
            ));
        }
        let range = if spec.is_empty() {
            None
        } else {
            Some(Requirement::parse(Ecosystem::PyPI, spec).ok_or_else(|| {
                error("the version range is not a PEP 440 specifier set (e.g. `>=1.2,<2`)")
            })?)
        };
        Ok(Self {
            text: text.to_string(),
            pattern: pep503(name),
            range,
        })
    }

    /// Whether the entry names `normalized` (whatever its range).
    pub fn matches_name(&self, normalized: &str) -> bool {
        glob(&self.pattern, normalized)
    }

    /// Whether the entry has no version range (it covers the whole project).
    pub fn is_whole_project(&self) -> bool {
        self.range.is_none()
    }

    /// Whether the entry covers `version` of `normalized`. An unreadable version is covered
    /// only by entries without a range.
    pub fn matches(&self, normalized: &str, version: Option<&str>) -> bool {
        if !self.matches_name(normalized) {
            return false;
        }
        match &self.range {
            None => true,
            Some(range) => version
                .and_then(|v| Version::parse(Ecosystem::PyPI, v))
                .is_some_and(|v| range.contains(&v)),
        }
    }
}

impl fmt::Display for PackageRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `*` matches any run of characters (including none); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_spelling_and_patterns_match_runs() {
        let r = PackageRule::parse("Acme_Tools.*").unwrap();
        assert!(r.matches_name("acme-tools-cli"));
        assert!(!r.matches_name("acme-toolbox"));
        assert!(PackageRule::parse("*-py").unwrap().matches_name("yaml-py"));
        assert!(PackageRule::parse("Django").unwrap().matches_name("django"));
    }

    #[test]
    fn ranges_cover_only_the_versions_they_admit() {
        let r = PackageRule::parse("django>=4.2,<6").unwrap();
        assert!(r.matches("django", Some("5.0.1")));
        assert!(!r.matches("django", Some("3.2")));
        assert!(!r.matches("django", None));
        assert!(!r.is_whole_project());
        assert!(
            PackageRule::parse("urllib3 < 2")
                .unwrap()
                .matches("urllib3", Some("1.26.0"))
        );
    }

    #[test]
    fn malformed_entries_say_what_is_wrong() {
        let err = PackageRule::parse(">=1.0").unwrap_err();
        assert!(err.reason.contains("name is missing"), "{err}");
        let err = PackageRule::parse("evil;rm -rf").unwrap_err();
        assert!(err.reason.contains("letters, digits"), "{err}");
        let err = PackageRule::parse("django>>4").unwrap_err();
        assert!(err.reason.contains("PEP 440"), "{err}");
    }
}
