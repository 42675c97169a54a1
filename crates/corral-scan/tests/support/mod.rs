//! Small scanners of the tests' own, so the driver is tested without depending on the real
//! scanners' rules.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use corral_model::{
    Confidence, Finding, Location, RuleInfo, ScanOutput, Scanner, Severity, SourceFile, fingerprint,
};

/// Reports every occurrence of `word` as a finding of rule `<id>-word`.
pub struct WordScanner {
    pub id: &'static str,
    pub word: &'static str,
    pub severity: Severity,
    /// Only files whose name ends with this, when set.
    pub only_suffix: Option<&'static str>,
    pub files_seen: AtomicUsize,
}

impl WordScanner {
    pub fn new(id: &'static str, word: &'static str) -> Self {
        Self {
            id,
            word,
            severity: Severity::High,
            only_suffix: None,
            files_seen: AtomicUsize::new(0),
        }
    }

    pub fn rule_id(&self) -> String {
        format!("{}-word", self.id)
    }
}

impl Scanner for WordScanner {
    fn id(&self) -> &'static str {
        self.id
    }

    fn wants(&self, path: &str) -> bool {
        self.only_suffix.is_none_or(|s| path.ends_with(s))
    }

    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput) {
        self.files_seen.fetch_add(1, Ordering::SeqCst);
        let text = String::from_utf8_lossy(file.content);
        if text.contains("PANIC_NOW") {
            panic!("hostile input");
        }
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find(self.word) {
                out.findings.push(Finding {
                    scanner: self.id.into(),
                    rule_id: self.rule_id(),
                    title: format!("The word {}", self.word),
                    severity: self.severity,
                    confidence: Confidence::High,
                    location: Location::new(
                        file.path,
                        file.first_line + i as u32,
                        line[..col].chars().count() as u32 + 1,
                    ),
                    cwe: vec![798],
                    tags: vec!["test".into()],
                    message: format!("`{}` appears here", self.word),
                    fix: Some("Remove it.".into()),
                    fingerprint: fingerprint(&[self.id, file.path, line.trim()]),
                    secret: None,
                    snippet: Some(line.trim().to_string()),
                    details: Default::default(),
                });
            }
        }
    }

    fn rules(&self) -> Vec<RuleInfo> {
        vec![RuleInfo {
            id: self.rule_id(),
            scanner: self.id.into(),
            title: format!("The word {}", self.word),
            description: format!("Finds the word `{}`.", self.word),
            help: "Remove the word.".into(),
            severity: self.severity,
            cwe: vec![798],
            tags: vec!["test".into()],
        }]
    }
}

/// Adds one finding in `finish` about line 1 of `path`, to test suppression of
/// cross-file findings.
pub struct FinishScanner {
    pub path: &'static str,
}

impl Scanner for FinishScanner {
    fn id(&self) -> &'static str {
        "finish"
    }

    fn wants(&self, _path: &str) -> bool {
        false
    }

    fn scan_file(&self, _file: &SourceFile<'_>, _out: &mut ScanOutput) {}

    fn finish(&self, out: &mut ScanOutput) {
        out.findings.push(Finding {
            scanner: "finish".into(),
            rule_id: "finish-rule".into(),
            title: "Cross-file".into(),
            severity: Severity::Medium,
            confidence: Confidence::Medium,
            location: Location::new(self.path, 1, 1),
            cwe: vec![],
            tags: vec![],
            message: "seen in finish".into(),
            fix: None,
            fingerprint: fingerprint(&["finish", self.path]),
            secret: None,
            snippet: None,
            details: Default::default(),
        });
    }

    fn rules(&self) -> Vec<RuleInfo> {
        Vec::new()
    }
}

/// Writes `content` to `root/relative`, creating directories.
pub fn write(root: &Path, relative: &str, content: impl AsRef<[u8]>) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Runs `git` in `dir` with a fixed identity and dates; panics with its output on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, "2024-03-01T10:00:00Z", args)
}

/// Like [`git`], with commits dated `date`.
pub fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A fresh repository in `dir` on branch `main`.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}
