//! The contract between the scan driver and the individual scanners.
//!
//! The driver (`corral-scan`) walks the file tree (or git's staged files, or history) and
//! hands every file it reads to each [`Scanner`] that [wants](Scanner::wants) it. Scanners
//! never walk, print or touch the network on their own account; they turn bytes into
//! [`Finding`]s and [`Component`]s. Keeping the contract here, in the model crate, lets each
//! scanner live in its own crate without depending on the driver or on each other.

use serde::{Deserialize, Serialize};

use crate::component::Component;
use crate::finding::{CommitInfo, Finding};
use crate::report::{AiToolEvidence, FileError};
use crate::severity::Severity;

/// One file (or, for history scans, one run of added lines) to scan.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Path relative to the scan root with `/` separators: what findings report.
    pub path: &'a str,
    /// The bytes to scan. Text, but not necessarily valid UTF-8.
    pub content: &'a [u8],
    /// Line number of the first line of `content` in the real file (1 for whole files; the
    /// hunk's first line for history scans).
    pub first_line: u32,
    /// The commit these lines were added in, for history scans.
    pub commit: Option<&'a CommitInfo>,
}

impl<'a> SourceFile<'a> {
    /// A whole working-tree file.
    pub fn whole(path: &'a str, content: &'a [u8]) -> Self {
        Self {
            path,
            content,
            first_line: 1,
            commit: None,
        }
    }

    /// The file name (last path component).
    pub fn file_name(&self) -> &'a str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// What scanners produce; the driver merges one per file into the report.
#[derive(Debug, Default, Clone)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    pub components: Vec<Component>,
    pub errors: Vec<FileError>,
    pub ai_tools: Vec<AiToolEvidence>,
    /// Facts scanners noted for their own [`Scanner::finish`]; not part of the report.
    pub notes: Vec<ScanNote>,
}

impl ScanOutput {
    pub fn append(&mut self, mut other: ScanOutput) {
        self.findings.append(&mut other.findings);
        self.components.append(&mut other.components);
        self.errors.append(&mut other.errors);
        self.ai_tools.append(&mut other.ai_tools);
        self.notes.append(&mut other.notes);
    }
}

/// A fact one scanner noted about one file, for its own [`Scanner::finish`].
///
/// `scan_file` sees one file at a time and keeps no state, yet some checks need facts from
/// several files: "this repository holds a private key" and "no ignore file keeps the
/// assistant from reading it" are learnt from different files. A scanner records such facts
/// as notes; the driver merges them like everything else and hands them to `finish`, which
/// turns them into findings. Notes are working data: they are never shown, stored or put in
/// a [`crate::Report`], so they must not carry secrets either.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanNote {
    /// The scanner that wrote the note (its [`Scanner::id`]); others ignore it.
    pub scanner: String,
    /// The file the fact is about, relative to the scan root.
    pub path: String,
    /// What kind of fact this is, defined by the scanner (e.g. `sensitive-file`).
    pub kind: String,
    /// The fact itself, in whatever shape the scanner documents for `kind`.
    pub value: serde_json::Value,
}

/// What a rule is, for SARIF rule metadata and `corral rules` listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub scanner: String,
    pub title: String,
    /// What the rule finds and why it matters (Markdown).
    pub description: String,
    /// How to fix what it finds (Markdown).
    pub help: String,
    pub severity: Severity,
    #[serde(default)]
    pub cwe: Vec<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A scanner: secrets, dependencies, code, AI-assistant configuration, licences.
///
/// `scan_file` is called from many threads at once, for different files; scanners keep no
/// mutable state between files. Work that needs every file (such as deciding whether a
/// script's imports are covered by a manifest next to it) happens in [`Scanner::finish`],
/// which sees everything all scanners produced.
pub trait Scanner: Send + Sync {
    /// Short id used by `--only` and in findings: `secrets`, `deps`, `code`, …
    fn id(&self) -> &'static str;

    /// Whether this scanner wants to read `file_name` at `path` at all. Called for every file,
    /// so it must be cheap (a name or extension check).
    fn wants(&self, path: &str) -> bool;

    /// Scans one file, appending to `out`.
    fn scan_file(&self, file: &SourceFile<'_>, out: &mut ScanOutput);

    /// Runs once after every file was scanned, over the merged output of all scanners.
    fn finish(&self, _out: &mut ScanOutput) {}

    /// Every rule this scanner can report.
    fn rules(&self) -> Vec<RuleInfo>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_outputs_keeps_every_scanners_notes() {
        let note = |path: &str| ScanNote {
            scanner: "ai-config".into(),
            path: path.into(),
            kind: "sensitive-file".into(),
            value: serde_json::Value::Null,
        };
        let mut merged = ScanOutput::default();
        merged.notes.push(note(".env"));
        let mut other = ScanOutput::default();
        other.notes.push(note("id_rsa"));
        merged.append(other);
        let paths: Vec<_> = merged.notes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(paths, [".env", "id_rsa"]);
    }
}
