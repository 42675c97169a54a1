//! The jobs API with a runner node in the server: who may define and run a job, a manual
//! run executed with its secret injected and masked, secret values never returned, and the
//! heartbeat ping endpoints.

mod common;

use common::{TestServer, draft, start_with_runner};
use corral_model::Role;
use corral_runner::executor::ExecutorSettings;
use corral_runner::sandbox::SandboxMode;
use corral_server::runner::{RunnerOptions, SchedulerConfig};
use serde_json::{Value, json};

const SECRET: &str = "crm-live-Q7w2Lm9Xv4Rt";

async fn server() -> TestServer {
    start_with_runner(RunnerOptions {
        scheduler: SchedulerConfig {
            lease_seconds: 4,
            ..SchedulerConfig::default()
        },
        executor: ExecutorSettings {
            sandbox: SandboxMode::Off,
            ..ExecutorSettings::default()
        },
    })
    .await
}

/// Waits (bounded) until the run has finished, and returns it with its log.
async fn finished_run(s: &TestServer, token: &str, run: &str) -> Value {
    for _ in 0..300 {
        let (status, body) = s.get(&format!("/api/v1/runs/{run}"), token).await;
        assert_eq!(status, 200, "{body}");
        if !matches!(body["state"].as_str(), Some("queued" | "running")) {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("run {run} did not finish within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_defines_a_job_sets_its_secret_and_runs_it_with_the_value_masked() {
    let s = server().await;
    let owner = s.token("ana@example.com", Role::Member).await;
    let stranger = s.token("bob@example.com", Role::Member).await;
    let auditor = s.token("audit@example.com", Role::Auditor).await;
    let asset = s
        .register(&owner, draft("lead-report", "ana@example.com", 2))
        .await;
    let asset_id = asset["asset"]["id"].as_str().unwrap().to_string();

    let job = json!({
        "name": "lead-report-daily",
        "asset_id": asset_id,
        "command": "echo \"calling the CRM with $CRM_TOKEN\"; echo done",
        "schedule": {"cron": "0 7 * * 1-5", "timezone": "Europe/Berlin"},
        "secrets": {"CRM_TOKEN": "crm-token"},
    });
    // Someone who does not own the asset cannot define jobs for it.
    let (status, body) = s.post("/api/v1/jobs", &stranger, job.clone()).await;
    assert_eq!(status, 403, "{body}");
    let (status, created) = s.post("/api/v1/jobs", &owner, job.clone()).await;
    assert_eq!(status, 201, "{created}");
    let job_id = created["id"].as_str().unwrap().to_string();

    // An invalid definition names each bad field.
    let mut bad = job.clone();
    bad["name"] = json!("another");
    bad["schedule"] = json!({"cron": "0 7 * * *", "timezone": "Mars/Olympus"});
    bad["asset_id"] = json!("00000000-0000-0000-0000-000000000000");
    let (status, body) = s.post("/api/v1/jobs", &owner, bad).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["schedule", "asset_id"], "{body}");
    assert!(body.to_string().contains("Mars/Olympus"), "{body}");

    let secret_path = "/api/v1/jobs/lead-report-daily/secrets/crm-token";
    let (status, body) = s
        .call(
            "PUT",
            secret_path,
            Some(&stranger),
            Some(json!({"value": SECRET})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = s
        .call(
            "PUT",
            secret_path,
            Some(&owner),
            Some(json!({"value": SECRET})),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, names) = s
        .get("/api/v1/jobs/lead-report-daily/secrets", &auditor)
        .await;
    assert_eq!(status, 200);
    assert_eq!(names[0]["name"], "crm-token");

    let (status, body) = s
        .post("/api/v1/jobs/lead-report-daily/runs", &stranger, json!({}))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, queued) = s
        .post(&format!("/api/v1/jobs/{job_id}/runs"), &owner, json!({}))
        .await;
    assert_eq!(status, 202, "{queued}");
    assert_eq!(queued["trigger"], "manual");
    let run = finished_run(&s, &auditor, queued["id"].as_str().unwrap()).await;
    assert_eq!(run["state"], "succeeded", "{run}");
    let log: Vec<&str> = run["log"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert!(log.contains(&"done"), "{log:?}");
    assert!(
        log.iter()
            .any(|l| l.starts_with("calling the CRM with ") && !l.contains(SECRET)),
        "{log:?}"
    );

    // No answer of any job endpoint carries the value.
    for path in [
        "/api/v1/jobs".to_string(),
        format!("/api/v1/jobs/{job_id}"),
        format!("/api/v1/jobs/{job_id}/runs"),
        format!("/api/v1/jobs/{job_id}/secrets"),
        format!("/api/v1/runs/{}", queued["id"].as_str().unwrap()),
        "/api/v1/audit/events".to_string(),
    ] {
        let (status, body) = s.get(&path, &s.admin).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            !body.to_string().contains(SECRET),
            "{path} shows the secret"
        );
    }
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pings_move_a_heartbeat_check_and_keep_the_first_ten_kib_of_their_body() {
    let s = server().await;
    let member = s.token("ana@example.com", Role::Member).await;
    let (status, check) = s
        .post(
            "/api/v1/heartbeats",
            &member,
            json!({"name": "laptop-export", "schedule": {"kind": "period", "period_seconds": 86400, "grace_seconds": 3600}}),
        )
        .await;
    assert_eq!(status, 201, "{check}");
    assert_eq!(check["state"], "new");
    let id = check["id"].as_str().unwrap();

    let http = reqwest::Client::new();
    let ping = |suffix: &str, body: String, get: bool| {
        let url = s.url(&format!("/ping/{id}{suffix}"));
        let request = if get {
            http.get(url)
        } else {
            http.post(url).body(body)
        };
        async move {
            let res = request.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    assert_eq!(ping("/start", String::new(), false).await.0, 200);
    assert_eq!(ping("/3", "x".repeat(30_000), false).await.0, 200);
    let (_, checks) = s.get("/api/v1/heartbeats", &member).await;
    assert_eq!(checks[0]["state"], "down", "{checks}");
    assert_eq!(
        checks[0]["last_ping"]["body"].as_str().unwrap().len(),
        10 * 1024
    );
    assert_eq!(ping("", String::new(), true).await.0, 200);
    let (_, checks) = s.get("/api/v1/heartbeats", &member).await;
    assert_eq!(checks[0]["state"], "up", "{checks}");

    let (status, body) = ping("/later", String::new(), false).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("/ping/<id>/start"), "{body}");
    let unknown = s.url("/ping/8f0e5c1e-0000-4000-8000-000000000000");
    assert_eq!(
        http.post(unknown).send().await.unwrap().status().as_u16(),
        404
    );
    s.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_check_goes_late_then_down_with_one_alert_however_often_it_is_evaluated() {
    use chrono::{Duration, TimeZone, Utc};
    use corral_runner::records::{CheckSchedule, CheckState, HeartbeatCheck, Ping, PingKind};
    use corral_server::runner::evaluate_heartbeats;

    let s = common::start().await;
    let store = &s.running.state.store;
    let t0 = Utc.with_ymd_and_hms(2026, 5, 5, 6, 0, 0).unwrap();
    let check = HeartbeatCheck::new(
        uuid::Uuid::new_v4(),
        "nightly-export",
        CheckSchedule::Period {
            period_seconds: 3600,
            grace_seconds: 600,
        },
        t0,
    );
    let mut tx = store.begin().await.unwrap();
    tx.insert_heartbeat_check(&check).await.unwrap();
    tx.audit(corral_store::AuditEntry::new("test", "heartbeat.created"));
    tx.commit().await.unwrap();
    store
        .record_heartbeat_ping(
            check.id,
            Ping {
                at: t0,
                kind: PingKind::Success,
                body: String::new(),
            },
        )
        .await
        .unwrap();

    let (alerts, mut received) = tokio::sync::mpsc::unbounded_channel();
    let state_at = |minutes: i64| {
        let alerts = alerts.clone();
        async move {
            evaluate_heartbeats(store, &alerts, t0 + Duration::minutes(minutes))
                .await
                .unwrap();
            store
                .heartbeat_check(check.id)
                .await
                .unwrap()
                .unwrap()
                .state
        }
    };
    assert_eq!(state_at(59).await, CheckState::Up);
    assert_eq!(state_at(65).await, CheckState::Late);
    assert!(received.try_recv().is_err(), "late is not an alert");
    assert_eq!(state_at(71).await, CheckState::Down);
    // Evaluating again, at the same moment or later, alerts nobody again.
    assert_eq!(state_at(71).await, CheckState::Down);
    assert_eq!(state_at(200).await, CheckState::Down);
    let first = received
        .try_recv()
        .expect("one alert when the check went down");
    assert!(
        first.title.contains("nightly-export is down"),
        "{}",
        first.title
    );
    assert!(received.try_recv().is_err(), "a second alert was raised");
    s.running.shutdown().await;
}
