//! `heartbeat wrap` against a receiver on 127.0.0.1 that records the pings it gets.

use std::sync::{Arc, Mutex};

use corral_runner::heartbeat::wrap::wrap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Accepts HTTP/1.1 requests and records (method, path, body); answers 200.
async fn receiver() -> (String, Arc<Mutex<Vec<(String, String, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut data = Vec::new();
                let mut buf = [0u8; 4096];
                loop {
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    data.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&data).to_string();
                    let Some((head, body)) = text.split_once("\r\n\r\n") else {
                        continue;
                    };
                    let length: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if body.len() < length {
                        continue;
                    }
                    let mut parts = head.split_whitespace();
                    let method = parts.next().unwrap_or_default().to_string();
                    let path = parts.next().unwrap_or_default().to_string();
                    record
                        .lock()
                        .unwrap()
                        .push((method, path, body.to_string()));
                    let _ = socket
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nOK",
                        )
                        .await;
                    return;
                }
            });
        }
    });
    (
        format!("http://{addr}/ping/5f0c2a9e-1d7b-4c3e-9a8f-0b1c2d3e4f50"),
        seen,
    )
}

#[tokio::test]
async fn wrap_pings_start_then_the_exit_code_with_the_output_tail() {
    let (url, seen) = receiver().await;
    let argv: Vec<String> = [
        "/bin/sh",
        "-c",
        "echo exporting; echo 'no rows' >&2; exit 3",
    ]
    .map(String::from)
    .to_vec();
    let report = wrap(&url, &argv).await.unwrap();
    assert_eq!(report.exit_code, 3);
    assert!(report.ping_errors.is_empty(), "{:?}", report.ping_errors);
    let seen = seen.lock().unwrap().clone();
    let paths: Vec<_> = seen.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
    assert_eq!(
        paths,
        [
            "POST /ping/5f0c2a9e-1d7b-4c3e-9a8f-0b1c2d3e4f50/start",
            "POST /ping/5f0c2a9e-1d7b-4c3e-9a8f-0b1c2d3e4f50/3",
        ]
    );
    assert!(
        seen[1].2.contains("exporting") && seen[1].2.contains("no rows"),
        "{:?}",
        seen[1].2
    );
}

#[tokio::test]
async fn an_unreachable_server_does_not_change_the_commands_outcome() {
    // A port nothing listens on: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/ping/x");
    let report = wrap(&url, &["/bin/sh".into(), "-c".into(), "exit 0".into()])
        .await
        .unwrap();
    assert_eq!(report.exit_code, 0);
    assert_eq!(report.ping_errors.len(), 2);
}

#[tokio::test]
async fn a_command_that_cannot_start_reports_a_failure_ping() {
    let (url, seen) = receiver().await;
    let report = wrap(&url, &["/nonexistent/tool".into()]).await.unwrap();
    assert_eq!(report.exit_code, 127);
    let seen = seen.lock().unwrap().clone();
    assert!(seen[1].1.ends_with("/fail"));
    assert!(seen[1].2.contains("could not start"));
}
