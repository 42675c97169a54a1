//! Scanning the working tree: ripgrep's parallel walker, with a scanner's idea of what to skip.
//!
//! The walker is the `ignore` crate's: it honours `.gitignore`, `.ignore` and Corral's own
//! `.corralignore` (even outside a git checkout, so a folder of scripts behaves like a
//! repository), and spreads directories across threads. Its defaults suit searching code,
//! not auditing it, so three differ here:
//!
//! * hidden files are scanned: `.env`, `.npmrc` and `.claude/settings.json` are where secrets
//!   and risky configuration live. Only `.git` (git's own database, scanned with `--history`
//!   instead) is left out.
//! * symbolic links are not followed unless asked, and each one is listed as skipped, so a
//!   link pointing outside the tree can neither hide content nor pull in someone else's disk.
//! * the size limit is checked before a file is read, and binary content after, both listed
//!   with their reason.
//!
//! Scanning happens inside the walker's threads: each file is read once, handed to every
//! scanner that wants it, and dropped, so memory stays flat however large the tree is.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use corral_model::{Scanner, SkipReason, SourceFile};
use ignore::{DirEntry, ParallelVisitor, ParallelVisitorBuilder, WalkBuilder, WalkState};

use crate::driver::ScanOptions;
use crate::error::ScanError;
use crate::exclude::Excludes;
use crate::file_scan::{Collected, interested};
use crate::progress::ScanProgress;

/// The custom ignore file Corral honours besides `.gitignore` and `.ignore`.
pub const CORRAL_IGNORE_FILE: &str = ".corralignore";

/// Walks every root in `options` and scans what it finds.
pub(crate) fn scan_tree(
    scanners: &[Box<dyn Scanner>],
    options: &ScanOptions,
    excludes: &Excludes,
    progress: &ScanProgress,
) -> Result<Collected, ScanError> {
    let mut collected = Collected::default();
    for root in &options.roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(ScanError::RootNotFound { path: root.clone() });
        }
    }
    let strip_root = relative_to_root(&options.roots).is_some();
    for root in &options.roots {
        collected.merge(walk_root(
            root, strip_root, scanners, options, excludes, progress,
        ));
    }
    Ok(collected)
}

/// The directory report paths are relative to: the root itself when a single directory is
/// scanned. With several roots (or a file root), paths keep the root as given as a prefix, so
/// files from different roots can be told apart.
pub(crate) fn relative_to_root(roots: &[PathBuf]) -> Option<&Path> {
    match roots {
        [root] if root.is_dir() => Some(root),
        _ => None,
    }
}

fn walk_root(
    root: &Path,
    strip_root: bool,
    scanners: &[Box<dyn Scanner>],
    options: &ScanOptions,
    excludes: &Excludes,
    progress: &ScanProgress,
) -> Collected {
    let respect = options.respect_gitignore;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(respect)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .require_git(false)
        .follow_links(options.follow_symlinks)
        .threads(options.threads);
    if respect {
        builder.add_custom_ignore_filename(CORRAL_IGNORE_FILE);
    }
    let filter_root = root.to_path_buf();
    let filter_excludes = excludes.clone();
    builder.filter_entry(move |entry| {
        if entry.depth() > 0 && entry.file_name() == ".git" {
            return false;
        }
        let relative = entry
            .path()
            .strip_prefix(&filter_root)
            .unwrap_or(entry.path());
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        !filter_excludes.excludes(relative, is_dir)
    });

    let results = Mutex::new(Vec::new());
    let mut visitors = VisitorBuilder {
        root,
        strip_root,
        scanners,
        max_file_size: options.max_file_size,
        progress,
        results: &results,
    };
    builder.build_parallel().visit(&mut visitors);

    let mut collected = Collected::default();
    for part in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        collected.merge(part);
    }
    collected
}

struct VisitorBuilder<'a> {
    root: &'a Path,
    strip_root: bool,
    scanners: &'a [Box<dyn Scanner>],
    max_file_size: u64,
    progress: &'a ScanProgress,
    results: &'a Mutex<Vec<Collected>>,
}

impl<'s> ParallelVisitorBuilder<'s> for VisitorBuilder<'s> {
    fn build(&mut self) -> Box<dyn ParallelVisitor + 's> {
        Box::new(Visitor {
            root: self.root,
            strip_root: self.strip_root,
            scanners: self.scanners,
            max_file_size: self.max_file_size,
            progress: self.progress,
            results: self.results,
            collected: Collected::default(),
        })
    }
}

/// One walker thread's state. Its results are handed over when the thread is done.
struct Visitor<'a> {
    root: &'a Path,
    strip_root: bool,
    scanners: &'a [Box<dyn Scanner>],
    max_file_size: u64,
    progress: &'a ScanProgress,
    results: &'a Mutex<Vec<Collected>>,
    collected: Collected,
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let collected = std::mem::take(&mut self.collected);
        self.results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(collected);
    }
}

impl ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        match entry {
            Ok(entry) => self.visit_entry(&entry),
            Err(err) => self.walk_error(err),
        }
        WalkState::Continue
    }
}

impl Visitor<'_> {
    fn visit_entry(&mut self, entry: &DirEntry) {
        let Some(file_type) = entry.file_type() else {
            return; // stdin, never produced for path roots
        };
        let path = self.report_path(entry.path());
        if file_type.is_symlink() {
            // Only reached when links are not followed.
            self.collected.skip(path, SkipReason::Symlink);
            return;
        }
        if !file_type.is_file() {
            // Directories are walked; sockets, FIFOs and devices have no content to scan
            // (and reading a FIFO would block forever).
            return;
        }
        let scanners = interested(self.scanners, &path);
        if scanners.is_empty() {
            return;
        }
        let content = match read_limited(entry.path(), self.max_file_size) {
            Ok(Ok(content)) => content,
            Ok(Err(size)) => {
                let limit = self.max_file_size;
                self.collected
                    .skip(path, SkipReason::TooLarge { size, limit });
                return;
            }
            Err(err) => {
                let error = err.to_string();
                self.collected.skip(path, SkipReason::Unreadable { error });
                return;
            }
        };
        let file = SourceFile::whole(&path, &content);
        self.collected.scan(&scanners, &file, true, self.progress);
    }

    /// How reports show `path`; see [`relative_to_root`].
    fn report_path(&self, path: &Path) -> String {
        if self.strip_root
            && let Ok(relative) = path.strip_prefix(self.root)
            && !relative.as_os_str().is_empty()
        {
            return display_path(relative);
        }
        display_path(path)
    }

    fn walk_error(&mut self, err: ignore::Error) {
        let path = error_path(&err)
            .map(|p| self.report_path(&p))
            .unwrap_or_default();
        let error = err.to_string();
        tracing::warn!(%path, %error, "cannot walk");
        self.collected.skip(path, SkipReason::Unreadable { error });
    }
}

/// Reads `path` if it is at most `limit` bytes; `Ok(Err(size))` when it is larger.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Err(size));
    }
    let mut content = Vec::with_capacity(size as usize);
    // The file may grow between the stat and the read: never read past the limit.
    file.take(limit + 1).read_to_end(&mut content)?;
    if content.len() as u64 > limit {
        return Ok(Err(content.len() as u64));
    }
    Ok(Ok(content))
}

/// `path` with `/` separators and without a leading `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    let mut trimmed = text.as_str();
    while let Some(rest) = trimmed.strip_prefix("./") {
        trimmed = rest.trim_start_matches('/');
    }
    trimmed.to_string()
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_drop_the_current_directory_prefix() {
        assert_eq!(display_path(Path::new("./src/app.py")), "src/app.py");
        assert_eq!(display_path(Path::new("src/app.py")), "src/app.py");
        assert_eq!(display_path(Path::new("/abs/x")), "/abs/x");
        assert_eq!(display_path(Path::new(".env")), ".env");
    }
}
