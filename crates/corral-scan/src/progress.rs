//! Live counters a front end can show while a scan runs.
//!
//! The driver only bumps atomic counters; it never draws anything, so it stays usable from
//! the server and from tests. The command line polls these counters from its own thread to
//! draw a progress bar when stderr is a terminal.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters updated by the scanning threads.
#[derive(Debug, Default)]
pub struct ScanProgress {
    files: AtomicU64,
    bytes: AtomicU64,
    findings: AtomicU64,
}

/// A snapshot of [`ScanProgress`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressSnapshot {
    pub files: u64,
    pub bytes: u64,
    pub findings: u64,
}

impl ScanProgress {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn scanned(&self, files: u64, bytes: u64, findings: u64) {
        self.files.fetch_add(files, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.findings.fetch_add(findings, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            findings: self.findings.load(Ordering::Relaxed),
        }
    }
}
