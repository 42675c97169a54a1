//! Inline suppression: `corral:allow` comments.
//!
//! A person who has looked at a finding and decided it is fine (a test fixture, a documented
//! example key) writes a comment on the finding's line:
//!
//! ```text
//! API_KEY = "AKIAIOSFODNN7EXAMPLE"  # corral:allow
//! API_KEY = "AKIAIOSFODNN7EXAMPLE"  # corral:allow aws-access-key-id -- the AWS docs' example
//! query(f"SELECT {col}")            // corral:allow py-sql-injection,py-fstring-sql
//! ```
//!
//! Bare `corral:allow` silences every rule on that line; `corral:allow RULE[,RULE…]` only the
//! named rules; anything after ` -- ` is a free-text reason. The word after the marker is
//! always read as rule ids, so `corral:allow test key` silences only a rule called `test` —
//! i.e. nothing — and the finding stays visible; write `corral:allow -- test key` instead.
//! For a finding spanning several lines (a private key block) a marker on any of its lines
//! counts. Suppressed findings are not dropped: they go to `Report::suppressed` and are
//! counted in every summary, so a suppression can be reviewed like any other change.

use corral_model::{Finding, SourceFile};

/// The marker that starts an inline suppression.
pub const MARKER: &str = "corral:allow";

/// What one line's markers allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allow {
    /// Every rule.
    All,
    /// Only these rule ids.
    Rules(Vec<String>),
}

impl Allow {
    pub fn covers(&self, rule_id: &str) -> bool {
        match self {
            Allow::All => true,
            Allow::Rules(rules) => rules.iter().any(|r| r == rule_id),
        }
    }

    fn merge(self, other: Allow) -> Allow {
        match (self, other) {
            (Allow::All, _) | (_, Allow::All) => Allow::All,
            (Allow::Rules(mut a), Allow::Rules(b)) => {
                a.extend(b);
                Allow::Rules(a)
            }
        }
    }
}

/// Reads the `corral:allow` markers on one line, if any.
pub fn allow_on_line(line: &[u8]) -> Option<Allow> {
    let text = String::from_utf8_lossy(line);
    let mut allow: Option<Allow> = None;
    let mut rest = text.as_ref();
    while let Some(at) = rest.find(MARKER) {
        let after = &rest[at + MARKER.len()..];
        rest = after;
        // `corral:allowed` or `corral:allow_x` is some other word, not the marker.
        if after
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '*')
        {
            continue;
        }
        let word = after.split_whitespace().next().unwrap_or("");
        let this = if word.is_empty() || word.starts_with("--") || word.starts_with("*/") {
            Allow::All
        } else {
            Allow::Rules(
                word.split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect(),
            )
        };
        allow = Some(match allow {
            None => this,
            Some(previous) => previous.merge(this),
        });
    }
    allow
}

/// Line `number` (1-based, counted from `first_line`) of `content`, without its line ending.
fn line_of(content: &[u8], first_line: u32, number: u32) -> Option<&[u8]> {
    let index = number.checked_sub(first_line)? as usize;
    content.split(|&b| b == b'\n').nth(index)
}

/// Whether an inline marker in `file` covers `finding`.
pub fn is_suppressed(finding: &Finding, file: &SourceFile<'_>) -> bool {
    let start = finding.location.line;
    let end = finding.location.end_line.unwrap_or(start).max(start);
    // A marker on a very long multi-line span is looked for only near its start.
    let end = end.min(start.saturating_add(200));
    (start..=end).any(|number| {
        line_of(file.content, file.first_line, number)
            .and_then(allow_on_line)
            .is_some_and(|allow| allow.covers(&finding.rule_id))
    })
}

/// Splits `findings` for `file` into (kept, suppressed). Findings about other paths are kept.
pub fn split_suppressed(
    findings: Vec<Finding>,
    file: &SourceFile<'_>,
) -> (Vec<Finding>, Vec<Finding>) {
    findings
        .into_iter()
        .partition(|f| f.location.path != file.path || !is_suppressed(f, file))
}

#[cfg(test)]
mod tests {
    use corral_model::{Confidence, Location, Severity};

    use super::*;

    fn finding(rule: &str, line: u32) -> Finding {
        Finding {
            scanner: "secrets".into(),
            rule_id: rule.into(),
            title: "t".into(),
            severity: Severity::High,
            confidence: Confidence::High,
            location: Location::new("app.py", line, 1),
            cwe: vec![],
            tags: vec![],
            message: "m".into(),
            fix: None,
            fingerprint: format!("{rule}{line}"),
            secret: None,
            snippet: None,
            details: Default::default(),
        }
    }

    #[test]
    fn a_bare_marker_allows_every_rule_and_a_named_one_only_that_rule() {
        assert_eq!(
            allow_on_line(b"key = 'x'  # corral:allow"),
            Some(Allow::All)
        );
        assert_eq!(
            allow_on_line(b"key = 'x'  # corral:allow -- docs example"),
            Some(Allow::All)
        );
        assert_eq!(
            allow_on_line(b"key = 'x'  # corral:allow aws-key,github-pat -- fixture"),
            Some(Allow::Rules(vec!["aws-key".into(), "github-pat".into()]))
        );
        assert_eq!(allow_on_line(b"/* corral:allow */ x"), Some(Allow::All));
        assert_eq!(allow_on_line(b"key = 'x'"), None);
        assert_eq!(allow_on_line(b"# corral:allowed to fail"), None);
    }

    #[test]
    fn a_marker_suppresses_only_findings_on_its_own_line() {
        let content = b"a = 1\nkey = 'x'  # corral:allow\nother = 'y'\n";
        let file = SourceFile::whole("app.py", content);
        let (kept, suppressed) =
            split_suppressed(vec![finding("aws-key", 2), finding("aws-key", 3)], &file);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].location.line, 3);
        assert_eq!(suppressed.len(), 1);
        assert_eq!(suppressed[0].location.line, 2);
    }

    #[test]
    fn a_rule_specific_marker_leaves_other_rules_visible() {
        let content = b"key = 'x'  # corral:allow github-pat\n";
        let file = SourceFile::whole("app.py", content);
        let (kept, suppressed) =
            split_suppressed(vec![finding("github-pat", 1), finding("aws-key", 1)], &file);
        assert_eq!(kept[0].rule_id, "aws-key");
        assert_eq!(suppressed[0].rule_id, "github-pat");
    }

    #[test]
    fn free_text_after_the_marker_is_read_as_a_rule_id_and_suppresses_nothing_else() {
        let file = SourceFile::whole("app.py", b"key = 'x'  # corral:allow test key\n");
        assert!(!is_suppressed(&finding("aws-key", 1), &file));
    }

    #[test]
    fn history_runs_count_lines_from_their_first_line() {
        let content = b"token = 'x' # corral:allow\n";
        let file = SourceFile {
            path: "app.py",
            content,
            first_line: 40,
            commit: None,
        };
        assert!(is_suppressed(&finding("aws-key", 40), &file));
        assert!(!is_suppressed(&finding("aws-key", 41), &file));
        assert!(!is_suppressed(&finding("aws-key", 3), &file));
    }

    #[test]
    fn a_marker_on_any_line_of_a_multi_line_finding_counts() {
        let content = b"-----BEGIN KEY-----\nabc\n-----END KEY----- corral:allow\n";
        let file = SourceFile::whole("key.pem", content);
        let mut f = finding("private-key", 1);
        f.location.path = "key.pem".into();
        f.location.end_line = Some(3);
        assert!(is_suppressed(&f, &file));
    }
}
