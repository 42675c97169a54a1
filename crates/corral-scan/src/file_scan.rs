//! Scanning one file's bytes with every scanner that wants it, and collecting the results.
//!
//! Every source of bytes (the working tree, git's index, git history) ends here, so the rules
//! for a single file are the same everywhere: files over the size limit and binary files are
//! skipped with a reason; the bytes are read once and handed to each interested scanner; a
//! scanner that panics on hostile input costs only that file (listed as an error) and not the
//! scan; `corral:allow` markers are applied while the bytes are still at hand; findings from
//! history are stamped with their commit.
//!
//! Each scanning thread fills its own [`Collected`]; they are merged once at the end, so
//! threads never contend on shared results.

use std::panic::{AssertUnwindSafe, catch_unwind};

use corral_model::{
    FileError, Finding, ScanOutput, ScanStats, Scanner, SkipReason, SkippedFile, SourceFile,
};

use crate::binary::looks_binary;
use crate::progress::ScanProgress;
use crate::suppression::split_suppressed;

/// Everything scanning threads produced, before `finish` and sorting.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub out: ScanOutput,
    pub suppressed: Vec<Finding>,
    pub skipped: Vec<SkippedFile>,
    pub stats: ScanStats,
}

impl Collected {
    pub fn merge(&mut self, mut other: Collected) {
        self.out.append(other.out);
        self.suppressed.append(&mut other.suppressed);
        self.skipped.append(&mut other.skipped);
        self.stats.files_scanned += other.stats.files_scanned;
        self.stats.bytes_scanned += other.stats.bytes_scanned;
        self.stats.files_skipped += other.stats.files_skipped;
    }

    pub fn skip(&mut self, path: impl Into<String>, reason: SkipReason) {
        self.stats.files_skipped += 1;
        self.skipped.push(SkippedFile {
            path: path.into(),
            reason,
        });
    }

    /// Scans `file` with `scanners` (those that want it), unless it is binary.
    ///
    /// `counts_as_file` is false for the second and later runs of added lines from the same
    /// file in one commit, so that `files_scanned` counts files, not hunks.
    pub fn scan(
        &mut self,
        scanners: &[&dyn Scanner],
        file: &SourceFile<'_>,
        counts_as_file: bool,
        progress: &ScanProgress,
    ) {
        if looks_binary(file.content) {
            self.skip(file.path, SkipReason::Binary);
            return;
        }
        let mut out = ScanOutput::default();
        for scanner in scanners {
            let mut mine = ScanOutput::default();
            let outcome = catch_unwind(AssertUnwindSafe(|| scanner.scan_file(file, &mut mine)));
            match outcome {
                Ok(()) => out.append(mine),
                Err(panic) => {
                    let reason = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown cause".into());
                    tracing::error!(scanner = scanner.id(), path = file.path, %reason, "scanner failed on file");
                    out.errors.push(FileError {
                        scanner: scanner.id().into(),
                        path: file.path.into(),
                        line: None,
                        message: format!("the scanner failed on this file ({reason}); the rest of the scan went on"),
                    });
                }
            }
        }
        if let Some(commit) = file.commit {
            for finding in &mut out.findings {
                if finding.location.commit.is_none() && finding.location.path == file.path {
                    finding.location.commit = Some(commit.clone());
                }
            }
        }
        let (kept, mut suppressed) = split_suppressed(std::mem::take(&mut out.findings), file);
        out.findings = kept;
        progress.scanned(
            if counts_as_file { 1 } else { 0 },
            file.content.len() as u64,
            out.findings.len() as u64,
        );
        if counts_as_file {
            self.stats.files_scanned += 1;
        }
        self.stats.bytes_scanned += file.content.len() as u64;
        self.suppressed.append(&mut suppressed);
        self.out.append(out);
    }
}

/// The scanners among `scanners` that want `path`.
pub(crate) fn interested<'s>(scanners: &'s [Box<dyn Scanner>], path: &str) -> Vec<&'s dyn Scanner> {
    scanners
        .iter()
        .filter(|s| s.wants(path))
        .map(|s| s.as_ref())
        .collect()
}
