//! A detector ready to run: compiled regexes plus the checks that decide whether a match is
//! a secret.
//!
//! Detectors come from two sources, the built-in rule files ([`crate::rule_file`]) and
//! gitleaks-format TOML ([`crate::gitleaks`]); both are turned into this one type so the
//! engine has a single code path. Every regex is compiled for bytes with Unicode disabled:
//! files are not always valid UTF-8, and ASCII-only classes are many times faster while
//! every documented token format is ASCII anyway.

use corral_model::{Confidence, Severity};
use regex::bytes::{Regex, RegexBuilder};

use crate::allowlist::Allowlist;

/// How much text a detector's regex needs around a keyword hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The line that holds the keyword (clipped around the hit on very long lines).
    Line,
    /// From the start of the keyword's line to the end of the file (multi-line secrets).
    FromLine,
    /// The whole file (gitleaks semantics: a keyword anywhere enables the rule).
    File,
}

/// Which part of the match is the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretGroup {
    /// This capture group (by index).
    Index(usize),
    /// The first capture group that participated in the match, else the whole match.
    FirstNonEmpty,
}

/// Extra validation beyond regex, entropy and allow lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// A JSON Web Token whose header and payload decode, and which is not a well-known sample.
    Jwt,
    /// A `key = value` assignment: the value must be a literal, not a reference or a word.
    Generic,
    /// The password part of a connection URL: not a placeholder, not the user name again.
    UrlPassword,
}

/// Indices of the named capture groups that checks use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct NamedGroups {
    /// `key`: the key name of a `key = value` assignment.
    pub key: Option<usize>,
    /// `q`: the opening quote of the value (empty when unquoted).
    pub quote: Option<usize>,
    /// `user`: the user name of a connection URL.
    pub user: Option<usize>,
}

impl NamedGroups {
    pub(crate) fn of(regex: &Regex) -> Self {
        let find = |name: &str| regex.capture_names().position(|n| n == Some(name));
        Self {
            key: find("key"),
            quote: find("q"),
            user: find("user"),
        }
    }
}

/// Where a detector was defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Builtin,
    Gitleaks,
}

#[derive(Debug, Clone)]
pub(crate) struct Detector {
    pub id: String,
    pub title: String,
    pub description: String,
    pub help: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Lower-case keywords; empty means the detector runs on every file.
    pub keywords: Vec<String>,
    /// `None` only for gitleaks path-only rules, which flag a file by its name.
    pub regex: Option<Regex>,
    pub secret_group: SecretGroup,
    /// Named groups the checks read (`key`, `q`, `user`).
    pub groups: NamedGroups,
    pub entropy: Option<f64>,
    pub min_length: usize,
    pub max_length: usize,
    pub allowlists: Vec<Allowlist>,
    /// Only files whose path matches are scanned with this detector.
    pub path: Option<Regex>,
    pub scope: Scope,
    pub check: Option<Check>,
    /// Apply the shared placeholder filter (`xxxx`, `<TOKEN>`, `changeme`, …).
    pub placeholder_filter: bool,
    pub cwe: Vec<u32>,
    pub tags: Vec<String>,
    pub origin: Origin,
    /// Which detector wins when two match the same text: 2 for provider formats, 1 for
    /// credentials recognised by their container (a URL, an `Authorization` header, a JWT),
    /// 0 for generic `key = value` assignments.
    pub priority: u8,
}

impl Detector {
    /// Generic detectors yield to provider-specific ones when both match the same text.
    pub(crate) fn priority(&self) -> u8 {
        self.priority
    }
}

/// The default remediation text.
pub(crate) const DEFAULT_HELP: &str = "Revoke or rotate this credential with its provider \
    now: it has been exposed to everyone who can read this file or its history. Then remove it \
    from the code (and from git history if it was committed) and load it at run time from a \
    secret store or an environment variable.";

/// Compiles `pattern` the way every detector regex is compiled.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(8 * (1 << 20))
        .dfa_size_limit(4 * (1 << 20))
        .build()
        .map_err(|e| describe_regex_error(pattern, &e))
}

fn describe_regex_error(pattern: &str, e: &regex::Error) -> String {
    let text = e.to_string();
    let hint = if pattern.contains("(?=")
        || pattern.contains("(?!")
        || pattern.contains("(?<=")
        || pattern.contains("(?<!")
    {
        " (look-around assertions are not supported: rewrite without them)"
    } else if pattern.contains("\\p{") || pattern.contains("\\P{") || pattern.contains("\\pL") {
        " (Unicode classes are not supported: detectors match ASCII bytes)"
    } else if pattern.contains("\\Q") {
        " (\\Q…\\E quoting is not supported: escape the characters instead)"
    } else if text.contains("backreference") {
        " (backreferences are not supported)"
    } else {
        ""
    };
    // The regex crate's error is multi-line with a caret diagram; keep it, it is precise.
    format!("invalid regex{hint}: {text}")
}

/// Severity from a rule file's text.
pub(crate) fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse::<Severity>().map_err(|e| e.to_string())
}

/// Confidence from a rule file's text.
pub(crate) fn parse_confidence(s: &str) -> Result<Confidence, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "high" => Ok(Confidence::High),
        "medium" => Ok(Confidence::Medium),
        "low" => Ok(Confidence::Low),
        other => Err(format!(
            "unknown confidence `{other}`: expected high, medium or low"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_errors_explain_unsupported_look_around() {
        let err = compile(r"foo(?=bar)").unwrap_err();
        assert!(err.contains("look-around"), "{err}");
    }

    #[test]
    fn regexes_match_bytes_that_are_not_utf8() {
        let re = compile(r"key=(\S+)").unwrap();
        let caps = re.captures(b"key=ab\xffcd").unwrap();
        assert_eq!(&caps[1], b"ab\xffcd");
    }
}
