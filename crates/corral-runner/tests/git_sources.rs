//! Git job sources against repositories the tests create with the `git` binary: a branch, a
//! tag and a commit id resolve to the right files, a moved branch is picked up by the next
//! checkout, a subdirectory is checked and honoured, and a repository that went away is
//! served from the mirror when it already holds the commit.

use std::path::{Path, PathBuf};

mod support;

use corral_runner::bundle::UnpackLimits;
use corral_runner::git_source::GitMirrors;
use corral_runner::records::JobSource;
use corral_runner::source::{SourceProvider, StoredSources};

/// A repository made by the test, with a helper to commit files.
struct Repo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("origin");
        std::fs::create_dir(&path).unwrap();
        let repo = Self { _dir: dir, path };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        support::git(&self.path, args)
    }

    /// Writes `files` and commits them; returns the commit id.
    fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (name, text) in files {
            let path = self.path.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn url(&self) -> String {
        format!("file://{}", self.path.display())
    }
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn a_branch_a_tag_and_a_commit_id_each_check_out_their_own_files() {
    let repo = Repo::new();
    let first = repo.commit(&[("report.py", "print('v1')\n")], "first");
    repo.git(&["tag", "-a", "v1", "-m", "release 1"]);
    let second = repo.commit(&[("report.py", "print('v2')\n")], "second");
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));

    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), "main", None, dest.path())
        .unwrap();
    assert_eq!(out.commit, second);
    assert_eq!(read(dest.path(), "report.py"), "print('v2')\n");
    assert!(
        !dest.path().join(".git").exists(),
        "no git metadata in a run"
    );

    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), "v1", None, dest.path())
        .unwrap();
    assert_eq!(out.commit, first, "an annotated tag resolves to its commit");
    assert_eq!(read(dest.path(), "report.py"), "print('v1')\n");

    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), &first, None, dest.path())
        .unwrap();
    assert_eq!(out.commit, first);
    assert_eq!(read(dest.path(), "report.py"), "print('v1')\n");
}

#[test]
fn a_moved_branch_is_picked_up_by_the_next_checkout() {
    let repo = Repo::new();
    let first = repo.commit(&[("VERSION", "1\n")], "first");
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    assert_eq!(
        mirrors
            .checkout(&repo.url(), "main", None, dest.path())
            .unwrap()
            .commit,
        first
    );

    let second = repo.commit(&[("VERSION", "2\n")], "second");
    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), "main", None, dest.path())
        .unwrap();
    assert_eq!(out.commit, second);
    assert_eq!(read(dest.path(), "VERSION"), "2\n");
    assert!(out.notices.is_empty(), "{:?}", out.notices);
}

#[test]
fn a_subdirectory_is_honoured_and_must_exist() {
    let repo = Repo::new();
    let commit = repo.commit(
        &[
            ("jobs/sync/run.sh", "echo syncing\n"),
            ("README.md", "docs\n"),
        ],
        "jobs",
    );
    let data = tempfile::tempdir().unwrap();
    let sources = StoredSources::new(data.path(), UnpackLimits::default());
    let dest = tempfile::tempdir().unwrap();
    let done = sources
        .materialise(
            &JobSource::Git {
                url: repo.url(),
                reference: "main".into(),
                subdirectory: Some("jobs/sync".into()),
                token_secret: None,
                username: None,
            },
            dest.path(),
        )
        .unwrap();
    assert_eq!(done.commit.as_deref(), Some(commit.as_str()));
    assert_eq!(done.workdir, Some(PathBuf::from("jobs/sync")));
    assert_eq!(read(dest.path(), "jobs/sync/run.sh"), "echo syncing\n");

    for (sub, words) in [
        ("jobs/missing", "does not exist in commit"),
        ("README.md", "is not a directory"),
        (
            "../outside",
            "must be a relative path inside the repository",
        ),
    ] {
        let dest = tempfile::tempdir().unwrap();
        let err = sources
            .materialise(
                &JobSource::Git {
                    url: repo.url(),
                    reference: "main".into(),
                    subdirectory: Some(sub.into()),
                    token_secret: None,
                    username: None,
                },
                dest.path(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "{sub}: {err}");
    }
}

#[test]
fn an_unknown_ref_is_named_in_the_error() {
    let repo = Repo::new();
    repo.commit(&[("a", "a")], "a");
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    let err = mirrors
        .checkout(&repo.url(), "release-9", None, dest.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ref `release-9` is neither a branch nor a tag"),
        "{err}"
    );
}

#[test]
fn when_the_repository_is_unreachable_the_mirror_serves_a_commit_it_holds() {
    let repo = Repo::new();
    let commit = repo.commit(&[("run.sh", "echo ok\n")], "first");
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    mirrors
        .checkout(&repo.url(), "main", None, dest.path())
        .unwrap();

    // The git host goes away.
    let moved = repo.path.with_file_name("moved-away");
    std::fs::rename(&repo.path, &moved).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), "main", None, dest.path())
        .unwrap();
    assert_eq!(out.commit, commit);
    assert_eq!(read(dest.path(), "run.sh"), "echo ok\n");
    assert_eq!(out.notices.len(), 1, "{:?}", out.notices);
    assert!(out.notices[0].contains("cannot fetch"), "{:?}", out.notices);
    assert!(
        out.notices[0].contains("using the mirror's copy of `main`"),
        "{:?}",
        out.notices
    );

    // A ref the mirror never saw cannot be served: the fetch error is the answer.
    let dest = tempfile::tempdir().unwrap();
    let err = mirrors
        .checkout(&repo.url(), "feature", None, dest.path())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("cannot fetch"), "{err}");
}

#[test]
fn a_repository_that_never_answered_fails_with_a_fetch_error_naming_it() {
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    let err = mirrors
        .checkout(
            "file:///nonexistent/corral/repo.git",
            "main",
            None,
            dest.path(),
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot fetch file:///nonexistent/corral/repo.git"),
        "{err}"
    );
}

#[test]
fn links_inside_the_checkout_are_kept_and_links_outside_are_left_out_with_a_notice() {
    let repo = Repo::new();
    repo.commit(&[("lib/config.toml", "x = 1\n")], "config");
    std::os::unix::fs::symlink("lib/config.toml", repo.path.join("config.toml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", repo.path.join("passwd")).unwrap();
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "links"]);
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    let out = mirrors
        .checkout(&repo.url(), "main", None, dest.path())
        .unwrap();
    assert_eq!(read(dest.path(), "config.toml"), "x = 1\n");
    assert!(std::fs::symlink_metadata(dest.path().join("passwd")).is_err());
    assert!(
        out.notices
            .iter()
            .any(|n| n.contains("left out the link `passwd`")),
        "{:?}",
        out.notices
    );
}
