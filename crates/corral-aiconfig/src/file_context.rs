//! The file being scanned, and how checks report against it.
//!
//! Every check works on one decoded file and reports findings by rule id, 0-based line index
//! and column. [`FileContext`] turns that into a [`corral_model::Finding`] with the file's real
//! line number (history scans hand over hunks that start mid-file), the commit, and a snippet
//! bounded in length.

use corral_model::{FileError, Location, ScanOutput, SourceFile};

use crate::catalogue::{Catalogue, Evidence, SCANNER_ID};

/// Longest snippet kept, in characters.
const SNIPPET_LIMIT: usize = 240;

pub struct FileContext<'a> {
    pub file: &'a SourceFile<'a>,
    pub text: &'a str,
    pub catalogue: &'a Catalogue,
    pub out: &'a mut ScanOutput,
}

impl FileContext<'_> {
    pub fn path(&self) -> &str {
        self.file.path
    }

    /// The location of `line_index` (0-based, within this file's text) and `column`.
    pub fn location(&self, line_index: usize, column: u32) -> Location {
        let mut location = Location::new(
            self.file.path,
            self.file.first_line + line_index as u32,
            column.max(1),
        );
        location.commit = self.file.commit.cloned();
        location
    }

    /// The text of line `line_index`, bounded, for a snippet.
    pub fn snippet(&self, line_index: usize) -> String {
        bounded_snippet(crate::jsonc::line(self.text, line_index))
    }

    /// Reports a finding of `rule_id`. Without an explicit snippet the line itself is used,
    /// so checks that handle secrets must always pass a redacted one.
    pub fn report(
        &mut self,
        rule_id: &str,
        line_index: usize,
        column: u32,
        mut evidence: Evidence,
    ) {
        let Some(rule) = self.catalogue.get(rule_id) else {
            return;
        };
        if evidence.snippet.is_none() {
            evidence.snippet = Some(self.snippet(line_index));
        }
        let finding = rule.finding(self.location(line_index, column), evidence);
        self.out.findings.push(finding);
    }

    /// Records that this file could not be processed.
    pub fn error(&mut self, line: Option<u32>, message: String) {
        self.out.errors.push(FileError {
            scanner: SCANNER_ID.into(),
            path: self.file.path.into(),
            line: line.map(|l| l + self.file.first_line - 1),
            message,
        });
    }
}

/// Trims `line` and bounds it to [`SNIPPET_LIMIT`] characters.
pub fn bounded_snippet(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() > SNIPPET_LIMIT {
        line.chars().take(SNIPPET_LIMIT).collect::<String>() + "…"
    } else {
        line.to_string()
    }
}
