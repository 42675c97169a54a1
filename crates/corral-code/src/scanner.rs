//! The `code` scanner: the driver hands it files, it hands back findings.
//!
//! Per file: pick the grammar by extension, run the keyword prefilter (most files in a large
//! tree never get parsed), find the top-level statements of a Python file the active rules
//! can need ([`crate::pruning`]; the rest is never parsed), parse and lower once, run the
//! taint engine with the rules the prefilter left active, and turn its matches into
//! [`Finding`]s. A file that cannot be
//! analysed (too large, too broken) becomes a [`FileError`] naming the reason; the scan goes
//! on.

use corral_model::{
    FileError, Finding, Location, RuleInfo, ScanOutput, Scanner, SourceFile, fingerprint,
};

use crate::analysis::{Analyzer, RawFinding};
use crate::language::{Grammar, parse_file_in};
use crate::pruning::{self, Needed};
use crate::rule::{Rule, RuleError};
use crate::ruleset::{RuleSet, RuleSources};

/// Files above this size are not analysed (generated or vendored code, not scripts).
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// Finds insecure code in Python and JavaScript/TypeScript files.
#[derive(Debug)]
pub struct CodeScanner {
    rules: RuleSet,
}

impl CodeScanner {
    /// A scanner with the built-in rules.
    pub fn new() -> Result<Self, Vec<RuleError>> {
        Ok(Self {
            rules: RuleSet::builtin()?,
        })
    }

    /// A scanner with the given rules (built-in ones included when `sources` says so).
    pub fn with_rules(sources: &RuleSources) -> Result<Self, Vec<RuleError>> {
        Ok(Self {
            rules: RuleSet::load(sources)?,
        })
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.rules
    }

    /// Scans one file's content.
    pub fn scan_source(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        let Some(grammar) = Grammar::for_path(file.path) else {
            return;
        };
        if file.content.len() > MAX_FILE_BYTES {
            out.errors.push(FileError {
                scanner: "code".into(),
                path: file.path.into(),
                line: None,
                message: format!(
                    "{} bytes is over the code scanner's {}-byte limit; the file was not analysed",
                    file.content.len(),
                    MAX_FILE_BYTES
                ),
            });
            return;
        }
        let lr = self.rules.for_family(grammar.family());
        let active = lr.prefilter(file.content);
        if !active.any {
            return;
        }
        let needed = match grammar {
            Grammar::Python => pruning::needed(file.content, lr, &active),
            _ => Needed::All,
        };
        let (ranges, quiet) = match needed {
            Needed::Nothing => return,
            Needed::All => (None, Vec::new()),
            Needed::Ranges(r, quiet) => (Some(r), quiet),
        };
        let module = match parse_file_in(grammar, file.content, ranges.as_deref()) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(FileError {
                    scanner: "code".into(),
                    path: file.path.into(),
                    line: e.line().map(|l| l + file.first_line - 1),
                    message: e.to_string(),
                });
                return;
            }
        };
        let mut analyzer = Analyzer::new(lr, &active, file.content);
        analyzer.skip_standalone(quiet);
        analyzer.run(&module);
        let mut raw = analyzer.findings;
        raw.sort_by_key(|f| (f.span.start, f.rule));
        let mut occurrences: Vec<(String, usize)> = Vec::new();
        for f in raw {
            let rule = &lr.rules[f.rule];
            out.findings
                .push(to_finding(rule, &f, file, &mut occurrences));
        }
    }
}

/// The trimmed text of a 1-based line. Only that line is decoded: a file with many findings
/// would otherwise be decoded once per finding.
fn line_text(content: &[u8], line: u32) -> String {
    let bytes = content
        .split(|&b| b == b'\n')
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or(b"");
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    let l = text.trim();
    if l.chars().count() > 200 {
        let cut: String = l.chars().take(197).collect();
        format!("{cut}...")
    } else {
        l.to_string()
    }
}

fn to_finding(
    rule: &Rule,
    f: &RawFinding,
    file: &SourceFile<'_>,
    occurrences: &mut Vec<(String, usize)>,
) -> Finding {
    let offset = file.first_line - 1;
    let matched = String::from_utf8_lossy(&file.content[f.span.start..f.span.end]);
    let normalized: String = matched.split_whitespace().collect::<Vec<_>>().join(" ");
    let key = format!("{}\u{0}{normalized}", rule.id);
    let n = match occurrences.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => {
            *n += 1;
            *n
        }
        None => {
            occurrences.push((key, 0));
            0
        }
    };
    let mut location = Location::new(file.path, f.span.line + offset, f.span.column);
    location.end_line = Some(f.span.end_line + offset);
    location.end_column = Some(f.span.end_column);
    location.commit = file.commit.cloned();
    let mut details = std::collections::BTreeMap::new();
    details.insert(
        "language".to_string(),
        serde_json::json!(rule.family.as_str()),
    );
    if let Some((label, line)) = &f.source {
        details.insert("source".to_string(), serde_json::json!(label.to_string()));
        details.insert("source_line".to_string(), serde_json::json!(line + offset));
    }
    let mut tags = vec![format!("owasp:{}", rule.owasp)];
    if rule.taint_kind.is_some() {
        tags.push("taint".into());
    }
    Finding {
        scanner: "code".into(),
        rule_id: rule.id.clone(),
        title: rule.title.clone(),
        severity: rule.severity,
        confidence: rule.confidence,
        location,
        cwe: rule.cwe.clone(),
        tags,
        message: f.message.clone(),
        fix: Some(rule.docs.fix.trim().to_string()),
        fingerprint: fingerprint(&["code", &rule.id, file.path, &normalized, &n.to_string()]),
        secret: None,
        snippet: Some(line_text(file.content, f.span.line)),
        details,
    }
}

/// The rule's metadata for SARIF and `corral rules`.
pub fn rule_info(rule: &Rule) -> RuleInfo {
    RuleInfo {
        id: rule.id.clone(),
        scanner: "code".into(),
        title: rule.title.clone(),
        description: format!("{}\n\n{}", rule.docs.what.trim(), rule.docs.why.trim()),
        help: format!(
            "{}\n\nExample:\n\n```{}\n{}\n```",
            rule.docs.fix.trim(),
            rule.family.as_str(),
            rule.docs.example.trim_end()
        ),
        severity: rule.severity,
        cwe: rule.cwe.clone(),
        tags: vec![
            format!("owasp:{}", rule.owasp),
            rule.family.as_str().to_string(),
        ],
    }
}

impl Scanner for CodeScanner {
    fn id(&self) -> &'static str {
        "code"
    }

    fn wants(&self, path: &str) -> bool {
        Grammar::for_path(path).is_some() && !path.ends_with(".min.js")
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        self.scan_source(file, out);
    }

    fn rules(&self) -> Vec<RuleInfo> {
        self.rules.rules().map(rule_info).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_text_decodes_only_the_asked_line_and_trims_it() {
        let content = b"x = '\xff'\r\n    y = open(p)  \r\nz = 1";
        assert_eq!(line_text(content, 1), "x = '\u{fffd}'");
        assert_eq!(line_text(content, 2), "y = open(p)");
        assert_eq!(line_text(content, 3), "z = 1");
        assert_eq!(line_text(content, 9), "");
    }

    #[test]
    fn line_text_shortens_long_lines() {
        let long = format!("x = '{}'", "a".repeat(300));
        let text = line_text(long.as_bytes(), 1);
        assert_eq!(text.chars().count(), 200);
        assert!(text.ends_with("..."));
    }
}
