//! Git job sources: a mirror per repository, fetched before each run, and the wanted commit's
//! files written into the run's scratch directory.
//!
//! Every repository URL gets one bare mirror under `<data dir>/sources/git/`, named after the
//! SHA-256 of the URL, so two jobs on the same repository share its objects and a run only
//! transfers what changed since the previous one. A run fetches every branch and tag into the
//! mirror (holding an exclusive file lock on the mirror, so two runs of the same repository —
//! in this process or in another runner process on the same data directory — never write it
//! at once), resolves its ref to a commit, and writes that commit's tree. The checkout is
//! written by walking the tree here rather than by a worktree checkout: no `.git` directory
//! ends up in the run, submodules are left out, and a symbolic link is written only when it
//! points inside the checkout.
//!
//! When the fetch fails (the git host is down, the network is out) but the mirror already
//! holds the commit the ref names, the run goes on with the mirror's copy and its log says
//! so: a job does not stop because its git host is briefly unreachable. A server that
//! *refused* the request (HTTP 401 or 403) is not an outage, and then the mirror is not
//! used. Credentials written into a URL (`https://user:token@host/…`) never appear in a
//! message: every error text is passed through [`redact_url_text`] first.
//!
//! Transports: local paths and `file://` URLs, `ssh://` through the system's `ssh`, the git
//! protocol, and `https://` (plain `http://` only to this machine) through [`git_http`],
//! with a token from the job's secrets ([`HttpCredentials`]). Repositories fetched with
//! credentials get a mirror of their own per set of credentials, so a job never reads a
//! private repository through another job's token.
//!
//! [`git_http`]: crate::git_http

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicBool;

use sha2::{Digest, Sha256};

use crate::git_http::{self, HttpBackend, HttpCredentials};

/// Why a git source could not be prepared. Messages are already free of credentials.
#[derive(Debug, thiserror::Error)]
pub enum GitSourceError {
    #[error("{0}")]
    Invalid(String),
    #[error("cannot fetch {url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{0}")]
    Checkout(String),
}

/// What a checkout produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitCheckout {
    /// The full commit id the ref resolved to.
    pub commit: String,
    /// Things the run's log should say (a fetch that failed while the mirror sufficed,
    /// links that were left out).
    pub notices: Vec<String>,
}

/// The mirrors kept under one directory.
#[derive(Debug, Clone)]
pub struct GitMirrors {
    root: PathBuf,
}

impl GitMirrors {
    /// Mirrors under `root` (created on first use).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Where the mirror of `url` lives when it is fetched without credentials.
    pub fn mirror_path(&self, url: &str) -> PathBuf {
        self.mirror_path_with(url, None)
    }

    /// Where the mirror of `url` fetched with `credentials` lives: one per URL and set of
    /// credentials.
    pub fn mirror_path_with(&self, url: &str, credentials: Option<&HttpCredentials>) -> PathBuf {
        let mut digest = Sha256::new();
        digest.update(url.trim().as_bytes());
        if let Some(credentials) = credentials {
            digest.update(b"\0");
            digest.update(credentials.fingerprint().as_bytes());
        }
        let digest = hex::encode(digest.finalize());
        self.root.join(format!("{}.git", &digest[..32]))
    }

    /// Fetches `url` into its mirror, resolves `reference` and writes the commit's files
    /// into `dest` (an existing, empty directory). `subdirectory`, when given, must name a
    /// directory of that commit.
    pub fn checkout(
        &self,
        url: &str,
        reference: &str,
        subdirectory: Option<&str>,
        dest: &Path,
    ) -> Result<GitCheckout, GitSourceError> {
        self.checkout_with(url, reference, subdirectory, None, dest)
    }

    /// [`GitMirrors::checkout`] with `credentials` for an HTTP(S) repository.
    pub fn checkout_with(
        &self,
        url: &str,
        reference: &str,
        subdirectory: Option<&str>,
        credentials: Option<&HttpCredentials>,
        dest: &Path,
    ) -> Result<GitCheckout, GitSourceError> {
        let shown = redact_url(url);
        check_url(url)?;
        if credentials.is_some() && !git_http::is_http_url(url) {
            return Err(GitSourceError::Invalid(format!(
                "git URL `{shown}`: a token is sent only to https:// repositories; ssh and \
                 file URLs use the runner's own keys and permissions"
            )));
        }
        check_reference(reference)?;
        let subdirectory = subdirectory.map(check_subdirectory).transpose()?;
        let mirror = self.mirror_path_with(url, credentials);
        std::fs::create_dir_all(&self.root).map_err(|e| {
            GitSourceError::Checkout(format!(
                "cannot create the mirror directory {}: {e}",
                self.root.display()
            ))
        })?;
        let _lock = MirrorLock::acquire(&mirror)?;

        let mut notices = Vec::new();
        let repo = open_or_init(&mirror, &shown)?;
        let mut refused = false;
        let fetched = fetch(&repo, url, credentials).map_err(|failure| {
            refused = failure.refused.is_some();
            GitSourceError::Fetch {
                url: shown.clone(),
                reason: redact_url_text(&failure.explain(credentials), url),
            }
        });
        // A new repository object sees the refs the fetch wrote.
        let repo = open_or_init(&mirror, &shown)?;
        let commit = match (fetched, resolve(&repo, reference)) {
            (Ok(()), Ok(commit)) => commit,
            (Ok(()), Err(e)) => return Err(e),
            (Err(fetch_error), _) if refused => return Err(fetch_error),
            (Err(fetch_error), Ok(commit)) => {
                notices.push(format!(
                    "[corral] {fetch_error}; using the mirror's copy of `{reference}` ({commit})"
                ));
                commit
            }
            (Err(fetch_error), Err(_)) => return Err(fetch_error),
        };
        let commit_object = repo
            .find_commit(commit)
            .map_err(|e| GitSourceError::Checkout(format!("cannot read commit {commit}: {e}")))?;
        let tree = commit_object
            .tree()
            .map_err(|e| GitSourceError::Checkout(format!("cannot read commit {commit}: {e}")))?;
        if let Some(sub) = &subdirectory {
            let entry = tree.lookup_entry_by_path(sub).map_err(|e| {
                GitSourceError::Checkout(format!("cannot read commit {commit}: {e}"))
            })?;
            match entry {
                Some(entry) if entry.mode().is_tree() => {}
                Some(_) => {
                    return Err(GitSourceError::Invalid(format!(
                        "subdirectory `{}` is not a directory in commit {commit}",
                        sub.display()
                    )));
                }
                None => {
                    return Err(GitSourceError::Invalid(format!(
                        "subdirectory `{}` does not exist in commit {commit}",
                        sub.display()
                    )));
                }
            }
        }
        write_tree(&repo, tree.id, dest, Path::new(""), &mut notices)?;
        Ok(GitCheckout {
            commit: commit.to_string(),
            notices,
        })
    }
}

/// `url` with any user name and password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match userinfo_span(url) {
        Some((start, end)) => format!("{}***{}", &url[..start], &url[end..]),
        None => url.to_string(),
    }
}

/// Whether `url` carries a password (`scheme://user:password@host/…`).
pub fn url_has_password(url: &str) -> bool {
    userinfo_span(url).is_some_and(|(start, end)| url[start..end].contains(':'))
}

/// `text` with the userinfo of `url` (and the raw URL) replaced, for messages built by
/// libraries that may quote the URL as given.
pub fn redact_url_text(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redact_url(url));
    if let Some((start, end)) = userinfo_span(url) {
        let userinfo = &url[start..end];
        out = out.replace(userinfo, "***");
        if let Some((_, password)) = userinfo.split_once(':')
            && !password.is_empty()
        {
            out = out.replace(password, "***");
        }
    }
    out
}

/// The byte range of `user[:password]` in `scheme://user[:password]@host/…`.
fn userinfo_span(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let at = url[start..authority_end].rfind('@')? + start;
    Some((start, at))
}

fn check_url(url: &str) -> Result<(), GitSourceError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(GitSourceError::Invalid("the git URL is empty".into()));
    }
    if url.starts_with('-') {
        return Err(GitSourceError::Invalid(format!(
            "git URL `{}` may not start with `-`",
            redact_url(url)
        )));
    }
    if let Some(problem) = git_http::plain_http_problem(url) {
        return Err(GitSourceError::Invalid(format!(
            "git URL `{}`: {problem}",
            redact_url(url)
        )));
    }
    if git_http::is_http_url(url) && url_has_password(url) {
        return Err(GitSourceError::Invalid(format!(
            "git URL `{}` carries a password or token; store it as a secret and name it in \
             source.token_secret",
            redact_url(url)
        )));
    }
    Ok(())
}

fn check_reference(reference: &str) -> Result<(), GitSourceError> {
    let bad = reference.is_empty()
        || reference.starts_with('-')
        || reference.contains("..")
        || reference
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c));
    if bad {
        return Err(GitSourceError::Invalid(format!(
            "ref `{reference}` is not a branch, tag or commit id"
        )));
    }
    Ok(())
}

/// A relative path inside the repository: no `..`, no absolute path, not empty.
fn check_subdirectory(sub: &str) -> Result<PathBuf, GitSourceError> {
    let path = Path::new(sub.trim_end_matches('/'));
    let inside = path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(GitSourceError::Invalid(format!(
            "subdirectory `{sub}` must be a relative path inside the repository (no `..`, not absolute)"
        )));
    }
    Ok(path
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect())
}

fn open_or_init(mirror: &Path, shown: &str) -> Result<gix::Repository, GitSourceError> {
    let result = if mirror.join("HEAD").exists() {
        gix::open(mirror).map_err(|e| e.to_string())
    } else {
        gix::init_bare(mirror).map_err(|e| e.to_string())
    };
    result.map_err(|e| {
        GitSourceError::Checkout(format!(
            "cannot open the mirror of {shown} at {}: {e}",
            mirror.display()
        ))
    })
}

/// Why a fetch failed.
struct FetchFailure {
    /// The HTTP status when the server refused the request (401 or 403).
    refused: Option<u16>,
    text: String,
}

impl FetchFailure {
    fn from_error(e: impl std::fmt::Display) -> Self {
        Self {
            refused: None,
            // The alternate form gives gix's whole chain of causes on one line.
            text: format!("{e:#}"),
        }
    }

    /// The reason to show: a refusal in words (naming the secret, never its value), other
    /// failures as gix and the HTTP client gave them.
    fn explain(&self, credentials: Option<&HttpCredentials>) -> String {
        match (self.refused, credentials) {
            (Some(status), Some(credentials)) => format!(
                "the server refused the credentials from secret `{}` (HTTP {status}); check \
                 that the token is current and may read the repository{}",
                credentials.secret,
                match &credentials.username {
                    Some(user) => format!(", and that `{user}` is the user name it belongs to"),
                    None => String::new(),
                }
            ),
            (Some(status), None) => format!(
                "the server wants credentials (HTTP {status}): store a token with `corral \
                 secrets set JOB NAME` and name it in source.token_secret"
            ),
            (None, _) => self.text.clone(),
        }
    }
}

/// Every branch and tag of `url` into the mirror, moved branches and tags included.
fn fetch(
    repo: &gix::Repository,
    url: &str,
    credentials: Option<&HttpCredentials>,
) -> Result<(), FetchFailure> {
    use gix::remote::Direction;
    let interrupt = AtomicBool::new(false);
    let remote = repo
        .remote_at(url)
        .map_err(FetchFailure::from_error)?
        .with_refspecs(
            ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            Direction::Fetch,
        )
        .map_err(FetchFailure::from_error)?
        .with_fetch_tags(gix::remote::fetch::Tags::None);
    if !git_http::is_http_url(url) {
        remote
            .connect(Direction::Fetch)
            .map_err(FetchFailure::from_error)?
            .prepare_fetch(gix::progress::Discard, Default::default())
            .map_err(FetchFailure::from_error)?
            .receive(gix::progress::Discard, &interrupt)
            .map_err(FetchFailure::from_error)?;
        return Ok(());
    }
    let backend = HttpBackend::new(credentials).map_err(|text| FetchFailure {
        refused: None,
        text,
    })?;
    let refusal = backend.refusal();
    let parsed =
        gix::url::parse(gix::bstr::BStr::new(url.trim())).map_err(FetchFailure::from_error)?;
    let transport = gix_transport::client::blocking_io::http::Transport::new_http(
        backend,
        parsed,
        gix_transport::Protocol::V2,
        false,
    );
    let refused = || *refusal.lock().expect("refusal lock");
    remote
        .to_connection_with_transport(transport)
        // The token, if any, is already on every request: git's credential helpers are
        // never asked.
        .with_credentials(|_| Ok(None))
        .prepare_fetch(gix::progress::Discard, Default::default())
        .map_err(|e| FetchFailure {
            refused: refused(),
            ..FetchFailure::from_error(e)
        })?
        .receive(gix::progress::Discard, &interrupt)
        .map_err(|e| FetchFailure {
            refused: refused(),
            ..FetchFailure::from_error(e)
        })?;
    Ok(())
}

/// A branch, then a tag, then a full commit id.
fn resolve(repo: &gix::Repository, reference: &str) -> Result<gix::ObjectId, GitSourceError> {
    let not_found = || {
        GitSourceError::Invalid(format!(
            "ref `{reference}` is neither a branch nor a tag of the repository, nor a commit id in it \
             (commit ids must be written in full)"
        ))
    };
    for full in [
        format!("refs/heads/{reference}"),
        format!("refs/tags/{reference}"),
    ] {
        let found = repo
            .try_find_reference(full.as_str())
            .map_err(|e| GitSourceError::Checkout(format!("cannot read ref `{full}`: {e}")))?;
        if let Some(mut found) = found {
            let id = found.peel_to_id().map_err(|e| {
                GitSourceError::Checkout(format!("cannot resolve `{reference}`: {e}"))
            })?;
            let object = repo.find_object(id).map_err(|e| {
                GitSourceError::Checkout(format!("cannot resolve `{reference}`: {e}"))
            })?;
            let commit = object.peel_to_commit().map_err(|_| {
                GitSourceError::Invalid(format!("ref `{reference}` does not point at a commit"))
            })?;
            return Ok(commit.id);
        }
    }
    if reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit()) {
        let id = gix::ObjectId::from_hex(reference.as_bytes()).map_err(|_| not_found())?;
        return match repo.find_object(id) {
            Ok(object) if object.kind == gix::object::Kind::Commit => Ok(id),
            Ok(_) => Err(GitSourceError::Invalid(format!(
                "`{reference}` is not a commit"
            ))),
            Err(_) => Err(not_found()),
        };
    }
    Err(not_found())
}

/// Writes tree `id` into `dest`; `rel` is its path inside the checkout (for links).
fn write_tree(
    repo: &gix::Repository,
    id: gix::ObjectId,
    dest: &Path,
    rel: &Path,
    notices: &mut Vec<String>,
) -> Result<(), GitSourceError> {
    use gix::object::tree::EntryKind;
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |e: std::io::Error| GitSourceError::Checkout(format!("cannot write {path}: {e}"))
    };
    let tree = repo
        .find_tree(id)
        .map_err(|e| GitSourceError::Checkout(format!("cannot read tree {id}: {e}")))?;
    for entry in tree.iter() {
        let entry =
            entry.map_err(|e| GitSourceError::Checkout(format!("cannot read tree {id}: {e}")))?;
        let name = entry.filename().to_string();
        let rel_path = rel.join(&name);
        if !is_plain_name(&name) {
            notices.push(format!(
                "[corral] left out `{}`: not a plain file name",
                rel_path.display()
            ));
            continue;
        }
        let target = dest.join(&name);
        match entry.mode().kind() {
            EntryKind::Tree => {
                std::fs::create_dir(&target).map_err(io(&target))?;
                write_tree(repo, entry.oid().to_owned(), &target, &rel_path, notices)?;
            }
            EntryKind::Blob | EntryKind::BlobExecutable => {
                let blob = repo.find_blob(entry.oid()).map_err(|e| {
                    GitSourceError::Checkout(format!("cannot read {}: {e}", rel_path.display()))
                })?;
                std::fs::write(&target, &blob.data).map_err(io(&target))?;
                if entry.mode().kind() == EntryKind::BlobExecutable {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o755))
                        .map_err(io(&target))?;
                }
            }
            EntryKind::Link => {
                let blob = repo.find_blob(entry.oid()).map_err(|e| {
                    GitSourceError::Checkout(format!("cannot read {}: {e}", rel_path.display()))
                })?;
                let link = String::from_utf8_lossy(&blob.data).into_owned();
                if link_stays_inside(rel, Path::new(&link)) {
                    std::os::unix::fs::symlink(&link, &target).map_err(io(&target))?;
                } else {
                    notices.push(format!(
                        "[corral] left out the link `{}`: it points outside the checkout",
                        rel_path.display()
                    ));
                }
            }
            EntryKind::Commit => notices.push(format!(
                "[corral] left out the submodule `{}`: submodules are not fetched",
                rel_path.display()
            )),
        }
    }
    Ok(())
}

/// A single path component that is neither `.`, `..` nor `.git`.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.eq_ignore_ascii_case(".git")
        && !name.contains(['/', '\\', '\0'])
}

/// Whether a link at `dir/<name>` pointing at `target` resolves, lexically, inside the root.
/// Callers guarantee that no directory on the way is itself a link, so the lexical answer
/// is the real one.
pub(crate) fn link_stays_inside(dir: &Path, target: &Path) -> bool {
    if target.is_absolute() {
        return false;
    }
    let mut depth: usize = dir
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    for component in target.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// An exclusive `flock` on `<mirror>.lock`, released when dropped.
struct MirrorLock {
    _file: std::fs::File,
}

impl MirrorLock {
    fn acquire(mirror: &Path) -> Result<Self, GitSourceError> {
        let path = mirror.with_extension("lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                GitSourceError::Checkout(format!("cannot open the lock {}: {e}", path.display()))
            })?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive).map_err(|e| {
            GitSourceError::Checkout(format!("cannot lock {}: {e}", path.display()))
        })?;
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_url_are_redacted_everywhere() {
        let url = "ssh://deploy:s3cr3t-token@git.internal/sales.git";
        assert_eq!(redact_url(url), "ssh://***@git.internal/sales.git");
        assert_eq!(
            redact_url("file:///srv/git/sales.git"),
            "file:///srv/git/sales.git"
        );
        let text = format!("could not connect to {url}: the password s3cr3t-token was refused");
        let clean = redact_url_text(&text, url);
        assert!(!clean.contains("s3cr3t-token"), "{clean}");
        assert!(
            clean.contains("ssh://***@git.internal/sales.git"),
            "{clean}"
        );
    }

    #[test]
    fn links_are_judged_from_their_own_directory() {
        assert!(link_stays_inside(Path::new("lib"), Path::new("../README")));
        assert!(!link_stays_inside(Path::new("lib"), Path::new("../../etc")));
        assert!(!link_stays_inside(Path::new(""), Path::new("/etc/passwd")));
        assert!(link_stays_inside(Path::new("a/b"), Path::new("./../c")));
    }

    #[test]
    fn a_subdirectory_may_not_climb_out() {
        assert!(check_subdirectory("../other").is_err());
        assert!(check_subdirectory("/etc").is_err());
        assert!(check_subdirectory("reports/../..").is_err());
        assert_eq!(
            check_subdirectory("reports/daily/").unwrap(),
            PathBuf::from("reports/daily")
        );
    }

    #[test]
    fn passwords_in_urls_remote_plain_http_and_option_like_refs_are_refused_with_a_reason() {
        let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path());
        let dest = tempfile::tempdir().unwrap();
        let err = mirrors
            .checkout(
                "https://bot:hunter2@git.example.invalid/a.git",
                "main",
                None,
                dest.path(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("name it in source.token_secret"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        let err = mirrors
            .checkout(
                "http://git.example.invalid/a.git",
                "main",
                None,
                dest.path(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("plain http:// is accepted only"), "{err}");
        let token = HttpCredentials {
            secret: "git-token".into(),
            username: None,
            token: corral_secretbox::SecretValue::new("t0ken-Zq4Lm8Tt2Vb7"),
        };
        let err = mirrors
            .checkout_with("/srv/git/a.git", "main", None, Some(&token), dest.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("a token is sent only to https://"), "{err}");
        assert_ne!(
            mirrors.mirror_path("https://git.example.invalid/a.git"),
            mirrors.mirror_path_with("https://git.example.invalid/a.git", Some(&token)),
            "a repository fetched with a token has a mirror of its own"
        );
        let err = mirrors
            .checkout("/srv/git/a.git", "--upload-pack=x", None, dest.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a branch, tag or commit id"), "{err}");
    }
}
