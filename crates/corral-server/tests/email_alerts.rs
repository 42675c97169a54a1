//! E-mail alerts over SMTP, against a tiny SMTP receiver this test starts on loopback: a
//! heartbeat that reports a failure is mailed to the target's recipients once; a start ping
//! (no state change) mails nobody.

mod common;

use std::sync::{Arc, Mutex};

use corral_model::{EventKind, Role};
use corral_server::NotifyConfig;
use corral_server::notify::config::{TargetConfig, TargetKind};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message: envelope recipients and the raw data.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// Accepts SMTP sessions on 127.0.0.1 and keeps the messages; answers every command it
/// does not need with 250.
async fn smtp_receiver() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        // Bounded: a test sends a handful of messages.
        for _ in 0..20 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let inbox = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test-relay ready\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    if upper.starts_with("RCPT TO:") {
                        rcpt.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        write.write_all(b"250 ok\r\n").await.unwrap();
                    } else if upper == "DATA" {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        inbox.lock().unwrap().push(Received {
                            rcpt: std::mem::take(&mut rcpt),
                            data,
                        });
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        write.write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, inbox)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heartbeat_failure_is_mailed_once_to_the_targets_recipients() {
    let (port, inbox) = smtp_receiver().await;
    let notify = NotifyConfig {
        initial_backoff_secs: 0.2,
        poll_interval_ms: 50,
        targets: vec![TargetConfig {
            name: "ops-mail".into(),
            kind: TargetKind::Email,
            url: format!("smtp://127.0.0.1:{port}"),
            events: vec![EventKind::HeartbeatAlert],
            secret: None,
            secret_env: None,
            from: Some("corral@example.com".into()),
            to: vec!["ops@example.com".into(), "ana@example.com".into()],
        }],
        ..NotifyConfig::default()
    };
    let s = common::start_with(None, notify).await;
    let member = s.token("ana@example.com", Role::Member).await;
    let (status, check) = s
        .post(
            "/api/v1/heartbeats",
            &member,
            json!({"name": "laptop-export", "schedule": {"kind": "period", "period_seconds": 3600, "grace_seconds": 60}}),
        )
        .await;
    assert_eq!(status, 201, "{check}");
    let id = check["id"].as_str().unwrap();
    let http = reqwest::Client::new();
    for suffix in ["/start", "/fail"] {
        let res = http
            .post(s.url(&format!("/ping/{id}{suffix}")))
            .body("export.py: cannot reach the CRM")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }

    let mut status = json!(null);
    for _ in 0..200 {
        status = s.get("/api/v1/notifications", &s.admin).await.1;
        let target = &status["targets"][0];
        if target["delivered"].as_u64() > Some(0) || target["failed"].as_u64() > Some(0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{messages:?}\n{status}");
    let mut rcpt = messages[0].rcpt.clone();
    rcpt.sort();
    assert_eq!(rcpt, ["ana@example.com", "ops@example.com"]);
    let data = &messages[0].data;
    assert!(
        data.contains("Subject: heartbeat laptop-export is down"),
        "{data}"
    );
    assert!(data.contains("From: corral@example.com"), "{data}");
    assert!(data.contains("X-Corral-Delivery:"), "{data}");
    assert!(data.contains("exit") || data.contains("failure"), "{data}");
    s.running.shutdown().await;
}

#[test]
fn an_email_target_without_recipients_is_refused_naming_the_key() {
    let config = NotifyConfig {
        targets: vec![TargetConfig {
            name: "ops-mail".into(),
            kind: TargetKind::Email,
            url: "smtp://127.0.0.1:25".into(),
            events: Vec::new(),
            secret: None,
            secret_env: None,
            from: Some("corral@example.com".into()),
            to: Vec::new(),
        }],
        ..NotifyConfig::default()
    };
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("ops-mail") && err.contains("`to`"), "{err}");
}
