//! Notification delivery against local receivers started by each test on 127.0.0.1: one
//! that accepts, one that fails twice and then accepts, one that always fails. Checks the
//! payloads, the HMAC signature, the retries, and the status the API reports.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{TestServer, draft, start_with};
use corral_model::EventKind;
use corral_server::notify::signing::verify;
use corral_server::notify::{NotifyConfig, TargetConfig, TargetKind};
use serde_json::Value;

#[derive(Clone, Default)]
struct Receiver {
    /// Answer 500 to this many requests first (u32::MAX: always).
    fail_first: u32,
    seen: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut seen = r.seen.lock().unwrap();
    seen.push((headers, body));
    if (seen.len() as u32) <= r.fail_first {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// Starts a receiver on 127.0.0.1:0; returns its URL and what it saw.
async fn receiver(fail_first: u32) -> (String, Receiver) {
    let r = Receiver {
        fail_first,
        ..Default::default()
    };
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, r)
}

fn config(targets: Vec<TargetConfig>) -> NotifyConfig {
    NotifyConfig {
        max_attempts: 3,
        initial_backoff_secs: 0.05,
        max_backoff_secs: 0.2,
        timeout_secs: 5.0,
        poll_interval_ms: 20,
        targets,
    }
}

fn target(name: &str, kind: TargetKind, url: &str, secret: Option<&str>) -> TargetConfig {
    TargetConfig {
        name: name.into(),
        kind,
        url: url.into(),
        events: vec![EventKind::Registration],
        secret: secret.map(Into::into),
        secret_env: None,
        from: None,
        to: Vec::new(),
    }
}

/// Polls the notification status until `done` holds (at most ~10 s).
async fn wait_for(s: &TestServer, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let (_, status) = s.get("/api/v1/notifications", &s.admin).await;
        if done(&status) {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("notification state not reached");
}

fn counts(status: &Value, target: &str) -> (u64, u64, u64) {
    let t = status["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == target)
        .unwrap();
    (
        t["delivered"].as_u64().unwrap(),
        t["pending"].as_u64().unwrap(),
        t["failed"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn a_registration_reaches_a_signed_webhook_and_a_slack_channel() {
    let (hook_url, hook) = receiver(0).await;
    let (slack_url, slack) = receiver(0).await;
    let s = start_with(
        None,
        config(vec![
            target(
                "hook",
                TargetKind::Webhook,
                &hook_url,
                Some("shared-secret"),
            ),
            target("slack", TargetKind::Slack, &slack_url, None),
        ]),
    )
    .await;
    s.register(&s.admin, draft("lead-scoring", "ana@example.com", 2))
        .await;
    let status = wait_for(&s, |st| {
        counts(st, "hook").0 == 1 && counts(st, "slack").0 == 1
    })
    .await;
    assert!(status["problems"].as_array().unwrap().is_empty());

    let seen = hook.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (headers, body) = &seen[0];
    let json: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["event"]["kind"], "registration");
    assert!(
        json["event"]["title"]
            .as_str()
            .unwrap()
            .contains("lead-scoring")
    );
    let ts: i64 = headers["x-corral-timestamp"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let sig = headers["x-corral-signature"].to_str().unwrap();
    assert!(verify(b"shared-secret", ts, body, sig));
    assert!(!verify(b"wrong-secret", ts, body, sig));

    let seen = slack.seen.lock().unwrap().clone();
    let json: Value = serde_json::from_slice(&seen[0].1).unwrap();
    assert!(
        json["text"]
            .as_str()
            .unwrap()
            .starts_with("*lead-scoring was registered")
    );
    assert!(seen[0].0.get("x-corral-signature").is_none());
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_receiver_that_fails_twice_then_succeeds_gets_the_delivery_on_the_third_attempt() {
    let (url, r) = receiver(2).await;
    let s = start_with(
        None,
        config(vec![target("flaky", TargetKind::Webhook, &url, None)]),
    )
    .await;
    s.register(&s.admin, draft("lead-scoring", "ana@example.com", 2))
        .await;
    wait_for(&s, |st| counts(st, "flaky").0 == 1).await;
    assert_eq!(r.seen.lock().unwrap().len(), 3);
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_receiver_that_always_fails_ends_failed_after_max_attempts_and_says_why() {
    let (url, r) = receiver(u32::MAX).await;
    let s = start_with(
        None,
        config(vec![target("down", TargetKind::Webhook, &url, None)]),
    )
    .await;
    s.register(&s.admin, draft("lead-scoring", "ana@example.com", 2))
        .await;
    let status = wait_for(&s, |st| counts(st, "down").2 == 1).await;
    assert_eq!(r.seen.lock().unwrap().len(), 3);
    let problem = &status["problems"][0];
    assert_eq!(problem["state"], "failed");
    assert_eq!(problem["attempts"], 3);
    assert_eq!(problem["kind"], "registration");
    assert!(
        problem["last_error"].as_str().unwrap().contains("HTTP 500"),
        "{problem}"
    );
    s.running.shutdown().await;
}

#[tokio::test]
async fn a_slow_receiver_never_delays_the_request_that_caused_the_event() {
    // The receiver is a port nobody listens on: delivery fails, the registration does not.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    drop(listener);
    let s = start_with(
        None,
        config(vec![target("gone", TargetKind::Webhook, &url, None)]),
    )
    .await;
    let out = s
        .register(&s.admin, draft("lead-scoring", "ana@example.com", 2))
        .await;
    assert_eq!(out["asset"]["approval"], "approved");
    let status = wait_for(&s, |st| counts(st, "gone").2 == 1).await;
    assert!(
        status["problems"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("connection"),
        "{status}"
    );
    s.running.shutdown().await;
}
