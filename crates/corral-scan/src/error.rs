//! Why a scan could not run at all.
//!
//! Problems with single files never end up here: they are listed in the report
//! (`skipped`, `errors`) and the scan goes on. A [`ScanError`] means there was nothing
//! sensible to scan: a root that does not exist, an invalid pattern, no git repository where
//! `--staged` or `--history` needs one.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{}: no such file or directory", path.display())]
    RootNotFound { path: PathBuf },
    #[error("invalid exclude pattern `{pattern}`: {message}")]
    InvalidExclude { pattern: String, message: String },
    #[error("{} is not inside a git repository (needed for {mode})", path.display())]
    NotARepository { path: PathBuf, mode: &'static str },
    #[error("{} is outside the git repository at {}", path.display(), repository.display())]
    OutsideRepository { path: PathBuf, repository: PathBuf },
    #[error("cannot resolve `{spec}` in the git repository: {message}")]
    UnknownRevision { spec: String, message: String },
    #[error("cannot read the git repository: {0}")]
    Git(String),
}

impl ScanError {
    pub(crate) fn git(err: impl std::fmt::Display) -> Self {
        ScanError::Git(err.to_string())
    }
}
