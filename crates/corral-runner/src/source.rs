//! Putting a job's files into its run's working directory.
//!
//! The executor asks a [`SourceProvider`] to materialise the job's source into a fresh
//! directory before every run, so no run sees what a previous run left behind. Two
//! providers: [`LocalSources`] for sources that need nothing beyond this machine (none at
//! all, or a directory on it) and refuses the others with a message rather than guessing;
//! [`StoredSources`], the one a runner node of the server uses, which adds git repositories
//! (mirrored and checked out under the data directory, see `git_source`) and uploaded
//! bundles (stored by digest and unpacked with hostile-input checks, see `bundle`).

use std::path::{Path, PathBuf};

use corral_secretbox::SecretValue;

use crate::bundle::{BundleError, BundleStore, UnpackLimits};
use crate::git_http::HttpCredentials;
use crate::git_source::{GitMirrors, GitSourceError};
use crate::records::JobSource;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot copy {path}: {source}")]
    Copy {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{kind} sources are fetched by the Corral server; this runner can only use local directories"
    )]
    Unsupported { kind: &'static str },
    #[error(transparent)]
    Git(#[from] GitSourceError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// What materialising a source produced beyond the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Materialised {
    /// The commit a git source's ref resolved to, recorded on the run.
    pub commit: Option<String>,
    /// Where the command runs, relative to the files' root (a git source's subdirectory).
    pub workdir: Option<PathBuf>,
    /// Lines for the run's log (a fetch that failed while the mirror sufficed…).
    pub notices: Vec<String>,
}

pub trait SourceProvider: Send + Sync {
    /// Fills `dest` (an existing, empty directory) with the files of `source`; `token` is the
    /// value of the secret a git source names in `token_secret`.
    fn materialise_with(
        &self,
        source: &JobSource,
        token: Option<&SecretValue>,
        dest: &Path,
    ) -> Result<Materialised, SourceError>;

    /// [`SourceProvider::materialise_with`] for a source that needs no token.
    fn materialise(&self, source: &JobSource, dest: &Path) -> Result<Materialised, SourceError> {
        self.materialise_with(source, None, dest)
    }
}

/// Sources on this machine: none, or a directory copied file by file.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalSources;

impl SourceProvider for LocalSources {
    fn materialise_with(
        &self,
        source: &JobSource,
        _token: Option<&SecretValue>,
        dest: &Path,
    ) -> Result<Materialised, SourceError> {
        match source {
            JobSource::None => Ok(Materialised::default()),
            JobSource::Directory { path } => {
                copy_tree(path, dest)?;
                Ok(Materialised::default())
            }
            JobSource::Git { .. } => Err(SourceError::Unsupported { kind: "git" }),
            JobSource::Bundle { .. } => Err(SourceError::Unsupported { kind: "bundle" }),
        }
    }
}

/// Every kind of source, with git mirrors and bundles kept under a data directory:
/// `<dir>/sources/git/` and `<dir>/sources/bundles/`.
#[derive(Debug, Clone)]
pub struct StoredSources {
    git: GitMirrors,
    bundles: BundleStore,
    limits: UnpackLimits,
}

impl StoredSources {
    pub fn new(data_dir: &Path, limits: UnpackLimits) -> Self {
        Self {
            git: GitMirrors::new(data_dir.join("sources").join("git")),
            bundles: Self::bundle_store(data_dir),
            limits,
        }
    }

    /// The bundle store under `data_dir`, where uploads are written.
    pub fn bundle_store(data_dir: &Path) -> BundleStore {
        BundleStore::new(data_dir.join("sources").join("bundles"))
    }
}

impl SourceProvider for StoredSources {
    fn materialise_with(
        &self,
        source: &JobSource,
        token: Option<&SecretValue>,
        dest: &Path,
    ) -> Result<Materialised, SourceError> {
        match source {
            JobSource::None | JobSource::Directory { .. } => LocalSources.materialise(source, dest),
            JobSource::Git {
                url,
                reference,
                subdirectory,
                token_secret,
                username,
            } => {
                let credentials = match (token_secret, token) {
                    (None, _) => None,
                    (Some(secret), Some(token)) => Some(HttpCredentials {
                        secret: secret.clone(),
                        username: username.clone(),
                        token: token.clone(),
                    }),
                    (Some(secret), None) => {
                        return Err(SourceError::Git(GitSourceError::Invalid(format!(
                            "the value of secret `{secret}` (source.token_secret) was not \
                             given to this fetch"
                        ))));
                    }
                };
                let checkout = self.git.checkout_with(
                    url,
                    reference,
                    subdirectory.as_deref(),
                    credentials.as_ref(),
                    dest,
                )?;
                Ok(Materialised {
                    commit: Some(checkout.commit),
                    workdir: subdirectory
                        .as_deref()
                        .map(|s| PathBuf::from(s.trim_end_matches('/'))),
                    notices: checkout.notices,
                })
            }
            JobSource::Bundle { sha256 } => {
                self.bundles.unpack(sha256, dest, self.limits)?;
                Ok(Materialised::default())
            }
        }
    }
}

/// Copies regular files and directories; symbolic links are not followed (a link could
/// point anywhere on the runner's machine) and `.git` is left out.
fn copy_tree(from: &Path, to: &Path) -> Result<(), SourceError> {
    let err = |path: &Path| {
        let path = path.display().to_string();
        move |source| SourceError::Copy { path, source }
    };
    for entry in std::fs::read_dir(from).map_err(err(from))? {
        let entry = entry.map_err(err(from))?;
        let kind = entry.file_type().map_err(err(&entry.path()))?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() == ".git" {
                continue;
            }
            std::fs::create_dir(&target).map_err(err(&target))?;
            copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).map_err(err(&entry.path()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_source_is_copied_without_git_metadata_or_links() {
        let src = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(src.path().join("lib")).unwrap();
        std::fs::create_dir_all(src.path().join(".git")).unwrap();
        std::fs::write(src.path().join("report.py"), "print(1)").unwrap();
        std::fs::write(src.path().join("lib/util.py"), "x = 1").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", src.path().join("passwd")).unwrap();
        let dest = tempfile::tempdir().unwrap();
        LocalSources
            .materialise(
                &JobSource::Directory {
                    path: src.path().into(),
                },
                dest.path(),
            )
            .unwrap();
        assert!(dest.path().join("report.py").is_file());
        assert!(dest.path().join("lib/util.py").is_file());
        assert!(!dest.path().join(".git").exists());
        assert!(!dest.path().join("passwd").exists());
    }

    #[test]
    fn a_git_source_is_refused_with_a_reason() {
        let dest = tempfile::tempdir().unwrap();
        let err = LocalSources
            .materialise(
                &JobSource::Git {
                    url: "ssh://git.internal/sales.git".into(),
                    reference: "main".into(),
                    subdirectory: None,
                    token_secret: None,
                    username: None,
                },
                dest.path(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("git sources are fetched by the Corral server"),
            "{err}"
        );
    }
}
