//! Allow lists: the conditions under which a match is *not* a finding.
//!
//! Built-in detectors use them for values that look like a secret but are known not to be
//! one (a provider's documented example key, a test-mode prefix); gitleaks-format rule
//! files bring their own, per rule and globally. Both share this one type so that the
//! semantics (match the secret, the whole match or the line; `OR` or `AND` of the
//! criteria) are implemented once.

use regex::bytes::Regex;

/// What an allow-list regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The extracted secret (the default).
    Secret,
    /// The detector's whole regex match.
    Match,
    /// The full line the match starts on.
    Line,
}

/// How the criteria of one allow list combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Condition {
    /// Any criterion that matches allows the value.
    Or,
    /// Every criterion that is set must match.
    And,
}

/// One allow list.
#[derive(Debug, Clone)]
pub(crate) struct Allowlist {
    pub regexes: Vec<Regex>,
    pub target: Target,
    /// Lower-case substrings: a secret containing one is allowed.
    pub stopwords: Vec<String>,
    pub paths: Vec<Regex>,
    /// Commit ids (full or abbreviated) whose findings are allowed.
    pub commits: Vec<String>,
    pub condition: Condition,
}

/// What an allow list looks at for one candidate.
pub(crate) struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: &'a str,
    pub commit: Option<&'a str>,
}

impl Allowlist {
    pub(crate) fn secret_regexes(regexes: Vec<Regex>) -> Self {
        Self {
            regexes,
            target: Target::Secret,
            stopwords: Vec::new(),
            paths: Vec::new(),
            commits: Vec::new(),
            condition: Condition::Or,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.regexes.is_empty()
            && self.stopwords.is_empty()
            && self.paths.is_empty()
            && self.commits.is_empty()
    }

    /// Whether a whole file is allowed by path alone (only for `OR` lists with paths).
    pub(crate) fn allows_path(&self, path: &str) -> bool {
        self.condition == Condition::Or && self.paths.iter().any(|p| p.is_match(path.as_bytes()))
    }

    /// Whether `c` is allowed.
    pub(crate) fn allows(&self, c: &Candidate<'_>) -> bool {
        let target = match self.target {
            Target::Secret => c.secret,
            Target::Match => c.matched,
            Target::Line => c.line,
        };
        let mut results: Vec<bool> = Vec::with_capacity(4);
        if !self.commits.is_empty() {
            results.push(c.commit.is_some_and(|id| {
                self.commits
                    .iter()
                    .any(|allowed| !allowed.is_empty() && id.starts_with(allowed.as_str()))
            }));
        }
        if !self.paths.is_empty() {
            results.push(self.paths.iter().any(|p| p.is_match(c.path.as_bytes())));
        }
        if !self.regexes.is_empty() {
            results.push(self.regexes.iter().any(|r| r.is_match(target)));
        }
        if !self.stopwords.is_empty() {
            let lower = c.secret.to_ascii_lowercase();
            results.push(
                self.stopwords
                    .iter()
                    .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some()),
            );
        }
        match self.condition {
            Condition::Or => results.iter().any(|&r| r),
            Condition::And => !results.is_empty() && results.iter().all(|&r| r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(secret: &'a [u8], path: &'a str) -> Candidate<'a> {
        Candidate {
            secret,
            matched: secret,
            line: secret,
            path,
            commit: None,
        }
    }

    #[test]
    fn an_or_list_allows_when_any_criterion_matches() {
        let list = Allowlist {
            stopwords: vec!["sample".into()],
            paths: vec![Regex::new(r"^tests/").unwrap()],
            ..Allowlist::secret_regexes(vec![])
        };
        assert!(list.allows(&candidate(b"aSAMPLEvalue", "src/x")));
        assert!(list.allows(&candidate(b"q8Zr", "tests/x")));
        assert!(!list.allows(&candidate(b"q8Zr", "src/x")));
    }

    #[test]
    fn an_and_list_needs_every_criterion_that_is_set() {
        let list = Allowlist {
            stopwords: vec!["sample".into()],
            paths: vec![Regex::new(r"^tests/").unwrap()],
            condition: Condition::And,
            ..Allowlist::secret_regexes(vec![])
        };
        assert!(list.allows(&candidate(b"sample1", "tests/x")));
        assert!(!list.allows(&candidate(b"sample1", "src/x")));
        assert!(!list.allows(&candidate(b"q8Zr", "tests/x")));
    }
}
