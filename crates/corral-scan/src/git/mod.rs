//! Reading from git: the staged index (`--staged`) and commit history (`--history`).
//!
//! Both use `gix` (pure Rust, no libgit2 and no `git` executable needed) with only the
//! features that reading objects, the index and the commit graph require. Paths in git modes
//! are relative to the repository's top level, as git itself shows them, whatever directory
//! the scan runs from; the roots given on the command line narrow the scan to paths under
//! them.

pub mod history;
pub mod staged;

use std::path::{Path, PathBuf};

use crate::error::ScanError;
use crate::exclude::Excludes;

/// An open repository and the part of it a scan covers.
pub(crate) struct RepoScope {
    pub repo: gix::Repository,
    /// Repository-relative prefixes (with `/` separators, no trailing `/`); empty = all.
    prefixes: Vec<String>,
}

impl RepoScope {
    /// Opens the repository containing the first root and maps every root into it.
    pub fn open(roots: &[PathBuf], mode: &'static str) -> Result<Self, ScanError> {
        let first = roots
            .first()
            .map(PathBuf::as_path)
            .unwrap_or(Path::new("."));
        for root in roots {
            if std::fs::symlink_metadata(root).is_err() {
                return Err(ScanError::RootNotFound { path: root.clone() });
            }
        }
        let start = if first.is_dir() {
            first.to_path_buf()
        } else {
            first
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."))
        };
        let start = if start.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start
        };
        let repo = gix::discover(&start).map_err(|_| ScanError::NotARepository {
            path: start.clone(),
            mode,
        })?;
        let top =
            repo.workdir()
                .map(Path::to_path_buf)
                .ok_or_else(|| ScanError::NotARepository {
                    path: start.clone(),
                    mode,
                })?;
        let top = top.canonicalize().unwrap_or(top);
        let mut prefixes = Vec::new();
        for root in roots {
            let absolute = root
                .canonicalize()
                .map_err(|_| ScanError::RootNotFound { path: root.clone() })?;
            let relative =
                absolute
                    .strip_prefix(&top)
                    .map_err(|_| ScanError::OutsideRepository {
                        path: root.clone(),
                        repository: top.clone(),
                    })?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            if relative.is_empty() {
                prefixes.clear();
                break;
            }
            prefixes.push(relative);
        }
        Ok(Self { repo, prefixes })
    }

    /// Whether the repository-relative `path` is in scope and not excluded.
    pub fn covers(&self, path: &str, excludes: &Excludes) -> bool {
        let under_a_root = self.prefixes.is_empty()
            || self.prefixes.iter().any(|p| {
                path == p
                    || (path.starts_with(p.as_str()) && path.as_bytes().get(p.len()) == Some(&b'/'))
            });
        under_a_root && !excludes.excludes(Path::new(path), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_outside_any_repository_are_refused_with_the_mode_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = RepoScope::open(&[dir.path().to_path_buf()], "--staged")
            .err()
            .expect("not a repository");
        let text = err.to_string();
        assert!(
            text.contains("not inside a git repository") && text.contains("--staged"),
            "{text}"
        );
    }
}
