//! One scan from start to finish: choose the bytes, scan them, finish, and build the report.
//!
//! The three modes differ only in where bytes come from — the working tree ([`crate::walk`]),
//! git's index ([`crate::git::staged`]) or every commit's added lines
//! ([`crate::git::history`]) — and all feed the same per-file step. Afterwards each scanner's
//! [`Scanner::finish`] sees the merged output (cross-file checks live there); findings it adds
//! are checked against `corral:allow` markers too, by reading the line back from the source.
//! Finally everything is sorted, so two scans of the same tree give byte-identical reports
//! whatever order the threads finished in.

use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;
use corral_model::{Finding, Report, ScanOutput, Scanner, SourceFile};

use crate::config::{DEFAULT_MAX_FILE_SIZE, ScanConfig};
use crate::error::ScanError;
use crate::exclude::Excludes;
use crate::file_scan::Collected;
use crate::progress::ScanProgress;
use crate::suppression::is_suppressed;

/// Where the bytes come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ScanMode {
    /// Files on disk under the roots.
    #[default]
    WorkingTree,
    /// The content staged in git's index for files that differ from `HEAD`, for pre-commit.
    Staged,
    /// The lines every commit reachable from `HEAD` added (only those after `since`, when
    /// given).
    History { since: Option<String> },
}

impl ScanMode {
    pub fn name(&self) -> &'static str {
        match self {
            ScanMode::WorkingTree => "working tree",
            ScanMode::Staged => "--staged",
            ScanMode::History { .. } => "--history",
        }
    }
}

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Paths to scan (files or directories). In git modes they narrow the scan to paths
    /// under them.
    pub roots: Vec<PathBuf>,
    pub mode: ScanMode,
    /// Files larger than this many bytes are skipped.
    pub max_file_size: u64,
    pub respect_gitignore: bool,
    pub follow_symlinks: bool,
    /// Gitignore-style patterns never to scan.
    pub exclude: Vec<String>,
    /// Scanning threads; 0 picks one per core.
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            roots: vec![PathBuf::from(".")],
            mode: ScanMode::WorkingTree,
            max_file_size: DEFAULT_MAX_FILE_SIZE.0,
            respect_gitignore: true,
            follow_symlinks: false,
            exclude: Vec::new(),
            threads: 0,
        }
    }
}

impl ScanOptions {
    /// Options from the `[scan]` section, scanning `.`.
    pub fn from_config(config: &ScanConfig) -> Self {
        Self {
            max_file_size: config.max_file_size.0,
            respect_gitignore: config.respect_gitignore,
            follow_symlinks: config.follow_symlinks,
            exclude: config.exclude.clone(),
            ..Self::default()
        }
    }
}

/// Runs `scanners` over what `options` selects and returns the report.
pub fn run_scan(
    scanners: &[Box<dyn Scanner>],
    options: &ScanOptions,
    progress: &ScanProgress,
) -> Result<Report, ScanError> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let excludes = Excludes::new(&options.exclude)?;

    let (mut collected, lines) = match &options.mode {
        ScanMode::WorkingTree => (
            crate::walk::scan_tree(scanners, options, &excludes, progress)?,
            LineSource::Disk(crate::walk::relative_to_root(&options.roots).map(PathBuf::from)),
        ),
        ScanMode::Staged => {
            let staged = crate::git::staged::scan_staged(scanners, options, &excludes, progress)?;
            (staged.collected, LineSource::Staged(staged.repository))
        }
        ScanMode::History { since } => (
            crate::git::history::scan_history(
                scanners,
                options,
                since.as_deref(),
                &excludes,
                progress,
            )?,
            LineSource::None,
        ),
    };

    // Cross-file checks. Findings they add are checked for inline markers separately.
    let before: usize = collected.out.findings.len();
    for scanner in scanners {
        scanner.finish(&mut collected.out);
    }
    if collected.out.findings.len() > before {
        let added = collected.out.findings.split_off(before);
        for finding in added {
            if lines.suppresses(&finding) {
                collected.suppressed.push(finding);
            } else {
                collected.out.findings.push(finding);
            }
        }
    }

    if matches!(options.mode, ScanMode::History { .. }) {
        keep_first_exposure(&mut collected.out.findings);
        keep_first_exposure(&mut collected.suppressed);
    }

    let mut report = Report::new(env!("CARGO_PKG_VERSION"), started_at);
    report.roots = options
        .roots
        .iter()
        .map(|r| r.to_string_lossy().into_owned())
        .collect();
    report.scanners = scanners.iter().map(|s| s.id().to_string()).collect();
    let Collected {
        out:
            ScanOutput {
                findings,
                components,
                errors,
                ai_tools,
                ..
            },
        suppressed,
        skipped,
        stats,
    } = collected;
    report.stats = stats;
    report.findings = findings;
    report.suppressed = suppressed;
    report.skipped = skipped;
    report.errors = errors;
    report.components = components;
    report.ai_tools = ai_tools;
    sort_report(&mut report);
    report.duration_ms = clock.elapsed().as_millis() as u64;
    Ok(report)
}

/// Where `finish` findings' lines can be read back for `corral:allow` markers.
enum LineSource {
    /// Files on disk: paths are relative to this directory, or openable as shown.
    Disk(Option<PathBuf>),
    /// The staged blobs, by path.
    Staged(crate::git::staged::StagedContent),
    /// History: findings from `finish` are not matched against markers.
    None,
}

impl LineSource {
    fn suppresses(&self, finding: &Finding) -> bool {
        let path = finding.location.path.as_str();
        let content = match self {
            LineSource::Disk(base) => match base {
                Some(base) => std::fs::read(base.join(path)).ok(),
                None => std::fs::read(path).ok(),
            },
            LineSource::Staged(staged) => staged.get(path).map(<[u8]>::to_vec),
            LineSource::None => None,
        };
        content.is_some_and(|content| is_suppressed(finding, &SourceFile::whole(path, &content)))
    }
}

/// In history scans the same finding (same fingerprint) is often added, removed and added
/// again; report it once, at the commit that first exposed it.
fn keep_first_exposure(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        // Commits made in the same second tie on date; the id breaks the tie so reports
        // stay reproducible.
        let when = |f: &Finding| f.location.commit.as_ref().map(|c| (c.date, c.id.clone()));
        a.fingerprint
            .cmp(&b.fingerprint)
            .then_with(|| when(a).cmp(&when(b)))
    });
    findings.dedup_by(|later, first| later.fingerprint == first.fingerprint);
}

/// Sorts everything in the report into a stable order: by path, then position, then rule.
fn sort_report(report: &mut Report) {
    let key = |f: &Finding| {
        (
            f.location.path.clone(),
            f.location.line,
            f.location.column,
            f.rule_id.clone(),
            f.fingerprint.clone(),
        )
    };
    report.findings.sort_by_cached_key(key);
    report.suppressed.sort_by_cached_key(key);
    report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors.sort_by(|a, b| {
        (&a.path, a.line, &a.scanner, &a.message).cmp(&(&b.path, b.line, &b.scanner, &b.message))
    });
    report.components.sort_by(|a, b| {
        (&a.path, a.line, &a.name, a.ecosystem).cmp(&(&b.path, b.line, &b.name, b.ecosystem))
    });
    report.components.dedup();
    report.ai_tools.sort_by(|a, b| {
        (&a.tool, &a.location.path, a.location.line).cmp(&(
            &b.tool,
            &b.location.path,
            b.location.line,
        ))
    });
    report.ai_tools.dedup();
}
