//! `corral heartbeat wrap <url-or-uuid> -- <command>`: heartbeat pings around a command
//! that still runs on someone's machine.
//!
//! It pings `/start`, runs the command with its output passing through unchanged, then
//! pings `/<exit-code>` with the last [`PING_BODY_LIMIT`] bytes of the output as the body,
//! so the check's page shows why a run failed. A ping that cannot be delivered is reported
//! on stderr but never changes the command's outcome: the wrapper exits with the command's
//! own status, and a cron entry that used to run `report.sh` behaves the same wrapped.

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::monitor::PING_BODY_LIMIT;
use crate::records::PingKind;

#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    #[error("`{0}` is neither a ping URL (http:// or https://) nor a check id (UUID)")]
    BadTarget(String),
    #[error(
        "a check id needs the server's address: set [heartbeat] server_url in corral.toml or CORRAL_SERVER_URL"
    )]
    NoServer,
    #[error("no command given after `--`")]
    NoCommand,
}

/// The ping URL for `target`: a URL as given, or `<server>/ping/<uuid>` for a check id.
pub fn ping_url(target: &str, server: Option<&str>) -> Result<String, WrapError> {
    let target = target.trim();
    if target.starts_with("http://") || target.starts_with("https://") {
        return Ok(target.trim_end_matches('/').to_string());
    }
    let id = uuid::Uuid::parse_str(target).map_err(|_| WrapError::BadTarget(target.into()))?;
    let server = server
        .filter(|s| !s.trim().is_empty())
        .ok_or(WrapError::NoServer)?;
    Ok(format!("{}/ping/{id}", server.trim_end_matches('/')))
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapReport {
    /// The command's exit status (128 + signal number when a signal ended it, 127 when it
    /// could not start).
    pub exit_code: i32,
    /// Pings that could not be delivered, in words.
    pub ping_errors: Vec<String>,
}

async fn send(
    client: &reqwest::Client,
    url: &str,
    kind: PingKind,
    body: String,
) -> Result<(), String> {
    let target = format!("{url}{}", kind.path_suffix());
    let mut last_error = String::new();
    for attempt in 0..2 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        match client.post(&target).body(body.clone()).send().await {
            Ok(resp) if resp.status().is_success() => return Ok(()),
            Ok(resp) => last_error = format!("{target}: the server answered {}", resp.status()),
            Err(e) => last_error = format!("{target}: {e}"),
        }
    }
    Err(last_error)
}

/// Runs `argv` between a start and a finish ping to `url`.
pub async fn wrap(url: &str, argv: &[String]) -> Result<WrapReport, WrapError> {
    let (program, args) = argv.split_first().ok_or(WrapError::NoCommand)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client with default TLS settings builds");
    let mut ping_errors = Vec::new();
    if let Err(e) = send(&client, url, PingKind::Start, String::new()).await {
        ping_errors.push(e);
    }

    let spawned = tokio::process::Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            let message = format!("could not start `{program}`: {e}");
            if let Err(e) = send(&client, url, PingKind::Fail, message).await {
                ping_errors.push(e);
            }
            return Ok(WrapReport {
                exit_code: 127,
                ping_errors,
            });
        }
    };
    let tail = Arc::new(Mutex::new(VecDeque::with_capacity(PING_BODY_LIMIT)));
    let out = child
        .stdout
        .take()
        .map(|pipe| tokio::spawn(tee(pipe, tokio::io::stdout(), tail.clone())));
    let err = child
        .stderr
        .take()
        .map(|pipe| tokio::spawn(tee(pipe, tokio::io::stderr(), tail.clone())));
    let status = child.wait().await;
    for task in [out, err].into_iter().flatten() {
        let _ = task.await;
    }
    let exit_code = match status {
        Ok(status) => {
            use std::os::unix::process::ExitStatusExt;
            status
                .code()
                .or_else(|| status.signal().map(|s| 128 + s))
                .unwrap_or(1)
        }
        Err(_) => 1,
    };
    let body = {
        let tail = tail.lock().expect("tail lock");
        let bytes: Vec<u8> = tail.iter().copied().collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let kind = PingKind::ExitCode(u8::try_from(exit_code).unwrap_or(255));
    if let Err(e) = send(&client, url, kind, body).await {
        ping_errors.push(e);
    }
    Ok(WrapReport {
        exit_code,
        ping_errors,
    })
}

/// Copies `pipe` to `out` while keeping the last bytes of everything in `tail`.
async fn tee(
    mut pipe: impl tokio::io::AsyncRead + Unpin,
    mut out: impl tokio::io::AsyncWrite + Unpin,
    tail: Arc<Mutex<VecDeque<u8>>>,
) {
    let mut buf = vec![0u8; 8192];
    while let Ok(n) = pipe.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let _ = out.write_all(&buf[..n]).await;
        let _ = out.flush().await;
        let mut tail = tail.lock().expect("tail lock");
        tail.extend(&buf[..n]);
        let excess = tail.len().saturating_sub(PING_BODY_LIMIT);
        tail.drain(..excess);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_id_becomes_a_ping_url_on_the_configured_server() {
        let id = "5f0c2a9e-1d7b-4c3e-9a8f-0b1c2d3e4f50";
        assert_eq!(
            ping_url(id, Some("http://corral.internal:8080/")).unwrap(),
            format!("http://corral.internal:8080/ping/{id}")
        );
        assert!(matches!(ping_url(id, None), Err(WrapError::NoServer)));
        assert_eq!(
            ping_url("https://corral.internal/ping/abc/", None).unwrap(),
            "https://corral.internal/ping/abc"
        );
        assert!(matches!(
            ping_url("not-a-uuid", Some("http://x")),
            Err(WrapError::BadTarget(_))
        ));
    }
}
