//! Git sources over HTTP against a smart-HTTP server on 127.0.0.1 that the tests start
//! themselves: `git http-backend` run as a CGI program behind a small HTTP/1.1 server that
//! demands a token. The right token fetches (as a Bearer token, or with a user name as Basic
//! credentials); a wrong one or none fails with a message that names the secret, never its
//! value, and does not fall back to a copy fetched with the right one; the token reaches
//! neither the job's environment nor its log.
//!
//! Skipped with a notice when `git` (with `http-backend`) is not installed.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

mod support;

use base64::Engine;
use corral_runner::bundle::UnpackLimits;
use corral_runner::executor::{CancelHandle, ExecutorSettings, LocalExecutor};
use corral_runner::git_http::HttpCredentials;
use corral_runner::git_source::GitMirrors;
use corral_runner::records::{CommandLine, Job, JobSource, Run, RunState, SOURCE_TOKEN, Trigger};
use corral_runner::sandbox::SandboxMode;
use corral_runner::source::StoredSources;
use corral_secretbox::SecretValue;
use support::git;

const TOKEN: &str = "tok-7Hq2Lm9Tt4Vb1Nc8Zq4Lm8";
const WRONG: &str = "tok-0Xx0Xx0Xx0Xx0Xx0Xx0Xx0";

/// Whether `git http-backend` can be run here.
fn http_backend_available() -> bool {
    let works = Command::new("git")
        .args(["http-backend"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("REQUEST_METHOD", "GET")
        .env("PATH_INFO", "/nothing")
        .env("GIT_PROJECT_ROOT", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("Status:"));
    if !works {
        println!("note: `git http-backend` is not available; the git-over-HTTP tests are skipped");
    }
    works
}

/// A repository served over smart HTTP at `url()`, with a working copy to commit from.
struct Served {
    _dir: tempfile::TempDir,
    work: PathBuf,
    port: u16,
    /// Every `Authorization` header the server received, in order.
    seen: Arc<Mutex<Vec<Option<String>>>>,
}

impl Served {
    /// Serves a new repository that answers only requests carrying `accepted`.
    fn start(accepted: String) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("served");
        let work = dir.path().join("work");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        git(&work, &["init", "-q"]);
        git(&root, &["init", "-q", "--bare", "sales-sync.git"]);
        git(
            &work,
            &[
                "remote",
                "add",
                "served",
                root.join("sales-sync.git").to_str().unwrap(),
            ],
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let server_seen = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (root, accepted, seen) = (root.clone(), accepted.clone(), server_seen.clone());
                std::thread::spawn(move || answer(stream, &root, &accepted, &seen));
            }
        });
        Self {
            _dir: dir,
            work,
            port,
            seen,
        }
    }

    /// Commits `text` as `run.sh` and publishes it; returns the commit id.
    fn publish(&self, text: &str) -> String {
        std::fs::write(self.work.join("run.sh"), text).unwrap();
        git(&self.work, &["add", "-A"]);
        git(&self.work, &["commit", "-q", "-m", "publish"]);
        git(
            &self.work,
            &["push", "-q", "served", "HEAD:refs/heads/main"],
        );
        git(&self.work, &["rev-parse", "HEAD"])
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/sales-sync.git", self.port)
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.seen.lock().unwrap().clone()
    }
}

/// Answers one HTTP/1.1 request (the connection is closed after it).
fn answer(stream: TcpStream, root: &Path, accepted: &str, seen: &Mutex<Vec<Option<String>>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let mut body = vec![
        0;
        headers
            .get("content-length")
            .map_or(0, |n| n.parse().unwrap())
    ];
    reader.read_exact(&mut body).unwrap();
    let authorization = headers.get("authorization").cloned();
    seen.lock().unwrap().push(authorization.clone());

    let mut out = stream;
    if authorization.as_deref() != Some(accepted) {
        let _ = out.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\n\
              Content-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let mut cgi = Command::new("git");
    cgi.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", &method)
        .env("PATH_INFO", path)
        .env("QUERY_STRING", query)
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(kind) = headers.get("content-type") {
        cgi.env("CONTENT_TYPE", kind);
    }
    if let Some(protocol) = headers.get("git-protocol") {
        cgi.env("HTTP_GIT_PROTOCOL", protocol);
    }
    let mut child = cgi.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let cgi_out = output.stdout;
    let split = cgi_out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            cgi_out
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })
        .unwrap_or((cgi_out.len(), cgi_out.len()));
    let head = String::from_utf8_lossy(&cgi_out[..split.0]).to_string();
    let payload = &cgi_out[split.1..];
    let mut status = "200 OK".to_string();
    let mut response = Vec::new();
    for line in head.lines().filter(|l| !l.trim().is_empty()) {
        match line.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("status") => {
                status = value.trim().to_string();
            }
            _ => {
                response.extend_from_slice(line.trim_end().as_bytes());
                response.extend_from_slice(b"\r\n");
            }
        }
    }
    let _ = out.write_all(
        format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
            payload.len()
        )
        .as_bytes(),
    );
    let _ = out.write_all(&response);
    let _ = out.write_all(b"\r\n");
    let _ = out.write_all(payload);
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn basic(user: &str, token: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"))
    )
}

fn credentials(token: &str, username: Option<&str>) -> HttpCredentials {
    HttpCredentials {
        secret: "git-token".into(),
        username: username.map(Into::into),
        token: SecretValue::new(token),
    }
}

#[test]
fn a_token_fetches_a_private_repository_as_bearer_or_with_a_user_name_as_basic() {
    if !http_backend_available() {
        return;
    }
    for (accepted, username) in [
        (bearer(TOKEN), None),
        (basic("oauth2", TOKEN), Some("oauth2")),
    ] {
        let served = Served::start(accepted.clone());
        let first = served.publish("echo v1\n");
        let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
        let login = credentials(TOKEN, username);
        let dest = tempfile::tempdir().unwrap();
        let out = mirrors
            .checkout_with(&served.url(), "main", None, Some(&login), dest.path())
            .unwrap();
        assert_eq!(out.commit, first, "{username:?}");
        assert_eq!(
            std::fs::read_to_string(dest.path().join("run.sh")).unwrap(),
            "echo v1\n"
        );

        // The branch moves; the next fetch brings the new commit.
        let second = served.publish("echo v2\n");
        let dest = tempfile::tempdir().unwrap();
        let out = mirrors
            .checkout_with(&served.url(), "main", None, Some(&login), dest.path())
            .unwrap();
        assert_eq!(out.commit, second);
        assert_eq!(out.notices, Vec::<String>::new());
        assert_eq!(
            std::fs::read_to_string(dest.path().join("run.sh")).unwrap(),
            "echo v2\n"
        );
        let seen = served.authorizations();
        assert!(seen.len() >= 4, "a GET and a POST per fetch: {seen:?}");
        assert!(
            seen.iter().all(|a| a.as_deref() == Some(accepted.as_str())),
            "every request carries the credentials: {seen:?}"
        );
    }
}

#[test]
fn wrong_or_missing_credentials_fail_naming_the_secret_and_never_the_token() {
    if !http_backend_available() {
        return;
    }
    let served = Served::start(bearer(TOKEN));
    served.publish("echo private\n");
    let mirrors = GitMirrors::new(tempfile::tempdir().unwrap().path().join("git"));
    let dest = tempfile::tempdir().unwrap();
    mirrors
        .checkout_with(
            &served.url(),
            "main",
            None,
            Some(&credentials(TOKEN, None)),
            dest.path(),
        )
        .unwrap();

    // A wrong token is refused even though a mirror fetched with the right one holds `main`.
    let dest = tempfile::tempdir().unwrap();
    let err = mirrors
        .checkout_with(
            &served.url(),
            "main",
            None,
            Some(&credentials(WRONG, None)),
            dest.path(),
        )
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "cannot fetch {}: the server refused the credentials from secret `git-token` \
             (HTTP 401); check that the token is current and may read the \
             repository",
            served.url()
        )
    );
    assert!(!err.contains(WRONG) && !err.contains(TOKEN), "{err}");
    assert!(
        !dest.path().join("run.sh").exists(),
        "no files without access"
    );

    let dest = tempfile::tempdir().unwrap();
    let err = mirrors
        .checkout(&served.url(), "main", None, dest.path())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("the server wants credentials (HTTP 401)")
            && err.contains("source.token_secret"),
        "{err}"
    );
}

fn git_job(url: &str, command: &str) -> Job {
    let mut job = Job::new("sales-sync", CommandLine::Shell(command.into()));
    job.timeout_seconds = 60;
    job.source = JobSource::Git {
        url: url.into(),
        reference: "main".into(),
        subdirectory: None,
        token_secret: Some("git-token".into()),
        username: None,
    };
    job
}

#[tokio::test]
async fn a_run_fetches_with_its_token_which_stays_out_of_its_environment_and_log() {
    if !http_backend_available() {
        return;
    }
    let served = Served::start(bearer(TOKEN));
    let commit = served.publish("echo synced\n");
    let data = tempfile::tempdir().unwrap();
    let settings = ExecutorSettings {
        runs_dir: data.path().join("runs"),
        sandbox: SandboxMode::Off,
        ..ExecutorSettings::default()
    };
    let executor = LocalExecutor::new(
        settings,
        Arc::new(StoredSources::new(data.path(), UnpackLimits::default())),
    );
    let job = git_job(&served.url(), "sh run.sh; env");
    assert_eq!(job.validate(), []);
    let run = Run::queued(job.id, &job.name, Trigger::Manual, None, chrono::Utc::now());

    let secrets = vec![(SOURCE_TOKEN.to_string(), SecretValue::new(TOKEN))];
    let outcome = executor
        .execute(&job, &run, &secrets, CancelHandle::new())
        .await;
    let log = outcome.log.text();
    assert_eq!(outcome.state, RunState::Succeeded, "{log}");
    assert_eq!(outcome.source_commit.as_deref(), Some(commit.as_str()));
    assert!(log.contains("synced"), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(
        !log.contains("token_secret"),
        "not in the environment, not even masked: {log}"
    );

    let wrong = vec![(SOURCE_TOKEN.to_string(), SecretValue::new(WRONG))];
    let outcome = executor
        .execute(&job, &run, &wrong, CancelHandle::new())
        .await;
    assert_eq!(outcome.state, RunState::Failed);
    let note = outcome.note.unwrap_or_default();
    assert!(
        note.contains("could not prepare the job's files")
            && note.contains("refused the credentials from secret `git-token`"),
        "{note}"
    );
    assert!(
        !note.contains(WRONG) && !outcome.log.text().contains(WRONG),
        "{note}"
    );
}
