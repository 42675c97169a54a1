//! The runner's SQL store on SQLite and PostgreSQL: windows, claims, leases, lost runs,
//! job secrets, heartbeat pings, retention, and the engine working on it.

mod support;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use corral_model::Event;
use corral_runner::clock::FakeClock;
use corral_runner::engine::Engine;
use corral_runner::executor::{ExecutorSettings, LocalExecutor};
use corral_runner::records::{
    CheckSchedule, CheckState, CommandLine, Job, Ping, PingKind, RetryPolicy, Run, RunState,
    Schedule, Trigger,
};
use corral_runner::sandbox::SandboxMode;
use corral_runner::source::LocalSources;
use corral_runner::store::{RunStore, StoreError as RunnerError};
use corral_secretbox::{MasterKey, SealedSecret};
use corral_store::job_secrets::sealing_name;
use corral_store::{AuditEntry, RunnerStore, Store, StoreSecrets};
use support::TestDb;
use uuid::Uuid;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn every_minute(name: &str, script: &str) -> Job {
    let mut job = Job::new(name, CommandLine::Shell(script.into()));
    job.schedule = Some(Schedule {
        cron: "* * * * *".into(),
        timezone: "UTC".into(),
    });
    job
}

async fn save_job(store: &Store, job: &Job) {
    let mut tx = store.begin().await.unwrap();
    tx.insert_job(job, Utc::now()).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "job.created").subject(job.id.to_string()));
    tx.commit().await.unwrap();
}

fn node(store: &Store, name: &str) -> RunnerStore {
    RunnerStore::new(store.clone(), name, Duration::seconds(30))
}

async fn a_window_is_committed_once_and_a_slot_has_one_first_attempt(db: TestDb) {
    let job = every_minute("report", "true");
    save_job(&db.store, &job).await;
    let a = node(&db.store, "node-a");
    let b = node(&db.store, "node-b");
    assert_eq!(a.last_processed().await.unwrap(), None);
    let slot = t("2026-05-05T05:00:00Z");
    let run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(slot), slot);
    a.commit_window(None, slot, vec![run.clone()])
        .await
        .unwrap();
    // Node b read the state before a committed: its window is refused and adds nothing.
    let again = Run::queued(job.id, &job.name, Trigger::Schedule, Some(slot), slot);
    let refused = b.commit_window(None, slot, vec![again.clone()]).await;
    assert!(
        matches!(refused, Err(RunnerError::WindowTaken(ref at)) if at.starts_with("2026-05-05T05:00:00")),
        "{refused:?}"
    );
    // Even a direct insert of the same slot's first attempt is refused by the unique key.
    b.insert_run(again).await.unwrap();
    let runs = db.store.runs_of_job(job.id, 10, 0).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].id, run.id);
    assert_eq!(a.last_processed().await.unwrap(), Some(slot));
}
on_both_backends!(
    a_window_is_committed_once_and_a_slot_has_one_first_attempt,
    super::a_window_is_committed_once_and_a_slot_has_one_first_attempt
);

async fn nodes_claiming_together_each_get_different_runs(db: TestDb) {
    let job = every_minute("report", "true");
    save_job(&db.store, &job).await;
    let start = t("2026-05-05T05:00:00Z");
    let runs: Vec<Run> = (0..200)
        .map(|i| {
            let slot = start + Duration::minutes(i);
            Run::queued(job.id, &job.name, Trigger::Schedule, Some(slot), slot)
        })
        .collect();
    let first = node(&db.store, "setup");
    first
        .commit_window(None, start + Duration::minutes(200), runs)
        .await
        .unwrap();
    let now = start + Duration::minutes(300);
    let mut handles = Vec::new();
    for n in 0..4 {
        let store = node(&db.store, &format!("node-{n}"));
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.claim_queued(now, 7).await.unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|r| r.id));
            }
        }));
    }
    let mut all = Vec::new();
    for handle in handles {
        all.extend(handle.await.unwrap());
    }
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "a run was claimed twice");
    assert_eq!(count, 200, "a queued run was never claimed");
}
on_both_backends!(
    nodes_claiming_together_each_get_different_runs,
    super::nodes_claiming_together_each_get_different_runs
);

async fn a_claim_that_lapsed_before_the_run_started_is_claimable_again(db: TestDb) {
    let job = every_minute("report", "true");
    save_job(&db.store, &job).await;
    let at = t("2026-05-05T05:00:00Z");
    let a = node(&db.store, "node-a");
    let b = node(&db.store, "node-b");
    let run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(at), at);
    a.commit_window(None, at, vec![run.clone()]).await.unwrap();
    assert_eq!(a.claim_queued(at, 10).await.unwrap().len(), 1);
    // Within the lease, nobody else gets it; renewing extends it.
    assert!(
        b.claim_queued(at + Duration::seconds(20), 10)
            .await
            .unwrap()
            .is_empty()
    );
    a.renew_leases(at + Duration::seconds(20), &[run.id])
        .await
        .unwrap();
    assert!(
        b.claim_queued(at + Duration::seconds(45), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Node a went silent: after its lease, b takes the run over.
    let taken = b
        .claim_queued(at + Duration::seconds(51), 10)
        .await
        .unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(
        db.store.run_lease_owner(run.id).await.unwrap().as_deref(),
        Some("node-b")
    );
    // A's late attempt to start it is refused.
    let mut late = run.clone();
    late.state = RunState::Running;
    let err = a.update_run(&late).await.unwrap_err().to_string();
    assert!(err.contains("no longer this node's"), "{err}");
}
on_both_backends!(
    a_claim_that_lapsed_before_the_run_started_is_claimable_again,
    super::a_claim_that_lapsed_before_the_run_started_is_claimable_again
);

async fn a_run_whose_node_died_is_marked_failed_and_retried_in_one_step(db: TestDb) {
    let mut job = every_minute("report", "true");
    job.retry = RetryPolicy {
        max_retries: 1,
        initial_delay_seconds: 0,
        ..RetryPolicy::default()
    };
    save_job(&db.store, &job).await;
    let at = t("2026-05-05T05:00:00Z");
    let a = node(&db.store, "node-a");
    let b = node(&db.store, "node-b");
    let run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(at), at);
    a.commit_window(None, at, vec![run.clone()]).await.unwrap();
    let mut claimed = a.claim_queued(at, 10).await.unwrap().remove(0);
    claimed.state = RunState::Running;
    claimed.started_at = Some(at);
    a.update_run(&claimed).await.unwrap();

    let retry_for = |lost: &Run| {
        let mut retry = Run::queued(lost.job_id, &lost.job_name, Trigger::Retry, lost.slot, at);
        retry.attempt = lost.attempt + 1;
        retry.retry_of = Some(lost.id);
        Some(retry)
    };
    // Still within a's lease: nothing is lost.
    assert!(
        b.reap_lost(at + Duration::seconds(29), &retry_for)
            .await
            .unwrap()
            .is_empty()
    );
    let lost = b
        .reap_lost(at + Duration::seconds(31), &retry_for)
        .await
        .unwrap();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].state, RunState::Failed);
    assert!(
        lost[0]
            .note
            .as_deref()
            .unwrap()
            .contains("runner node `node-a`"),
        "{:?}",
        lost[0].note
    );
    // Reaping again finds nothing, and the retry exists once.
    assert!(
        b.reap_lost(at + Duration::minutes(5), &retry_for)
            .await
            .unwrap()
            .is_empty()
    );
    let runs = db.store.runs_of_job(job.id, 10, 0).await.unwrap();
    let summary: Vec<_> = runs
        .iter()
        .rev()
        .map(|r| (r.attempt, r.state, r.trigger))
        .collect();
    assert_eq!(
        summary,
        [
            (1, RunState::Failed, Trigger::Schedule),
            (2, RunState::Queued, Trigger::Retry)
        ]
    );
    // Node a wakes up and reports success: refused, the verdict stands.
    claimed.state = RunState::Succeeded;
    claimed.finished_at = Some(at + Duration::minutes(6));
    assert!(a.update_run(&claimed).await.is_err());
    let stored = db.store.run_with_log(run.id).await.unwrap().unwrap();
    assert_eq!(stored.state, RunState::Failed);
}
on_both_backends!(
    a_run_whose_node_died_is_marked_failed_and_retried_in_one_step,
    super::a_run_whose_node_died_is_marked_failed_and_retried_in_one_step
);

async fn a_secret_printed_by_a_job_is_stored_masked_and_opened_only_for_its_job(db: TestDb) {
    let value = "crm-live-Zq81xPc0Lw2";
    let master = MasterKey::from_bytes([7; 32]);
    let mut job = every_minute(
        "crm-sync",
        "echo \"token is $CRM_TOKEN\"; printf %s \"$CRM_TOKEN\" | base64",
    );
    job.secrets.insert("CRM_TOKEN".into(), "crm-token".into());
    save_job(&db.store, &job).await;
    let mut other = every_minute("other-team", "echo \"$CRM_TOKEN\"");
    other.secrets.insert("CRM_TOKEN".into(), "crm-token".into());
    other.schedule = None;
    save_job(&db.store, &other).await;

    let sealed = SealedSecret::seal(&master, &sealing_name(job.id, "crm-token"), value).unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.set_job_secret(job.id, "crm-token", &sealed, Utc::now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "job.secret_set").subject(job.id.to_string()));
    tx.commit().await.unwrap();
    // A copy of the ciphertext under the other job does not open there.
    let mut tx = db.store.begin().await.unwrap();
    tx.set_job_secret(other.id, "crm-token", &sealed, Utc::now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("mallory@example.com", "job.secret_set"));
    tx.commit().await.unwrap();

    let names = db.store.job_secret_names(job.id).await.unwrap();
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].name, "crm-token");

    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(t("2026-05-05T04:59:30Z")));
    let alerts = Arc::new(Mutex::new(Vec::<Event>::new()));
    let store = Arc::new(node(&db.store, "node-a"));
    let engine = Engine::new(
        store.clone(),
        clock.clone(),
        Arc::new(LocalExecutor::new(
            ExecutorSettings {
                runs_dir: dir.path().join("runs"),
                sandbox: SandboxMode::Off,
                ..ExecutorSettings::default()
            },
            Arc::new(LocalSources),
        )),
        Arc::new(StoreSecrets::new(db.store.clone(), master)),
        alerts.clone(),
        4,
    );
    engine.tick().await.unwrap();
    clock.set(t("2026-05-05T05:00:00Z"));
    engine.tick().await.unwrap();
    engine.wait_idle().await;
    let other_run = engine.trigger(other.id).await.unwrap();
    engine.tick().await.unwrap();
    engine.wait_idle().await;

    let runs = db.store.runs_of_job(job.id, 10, 0).await.unwrap();
    assert_eq!(runs.len(), 1);
    let run = db.store.run_with_log(runs[0].id).await.unwrap().unwrap();
    assert_eq!(run.state, RunState::Succeeded, "{:?}", run.note);
    let log = run.log.text();
    assert!(log.contains("token is "), "{log}");
    assert!(!log.contains(value), "{log}");
    assert!(!log.contains("Y3JtLWxpdmUtWnE4MXhQYzBMdzI="), "{log}");

    let refused = db.store.run_with_log(other_run.id).await.unwrap().unwrap();
    assert_eq!(refused.state, RunState::Failed);
    assert!(refused.log.lines.is_empty());

    // Nothing in the database holds the value: not the secrets, runs, logs or audit log.
    let raw = db.raw().await;
    for table in [
        "runner_secrets",
        "runner_runs",
        "runner_run_logs",
        "audit_events",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT {} FROM {table}",
            match table {
                "runner_secrets" => "sealed",
                "runner_runs" => "COALESCE(note, '')",
                "runner_run_logs" => "lines",
                _ => "COALESCE(data, '')",
            }
        ))
        .fetch_all(&raw)
        .await
        .unwrap();
        assert!(rows.iter().all(|r| !r.contains(value)), "{table}");
    }
    raw.close().await;
}
on_both_backends!(
    a_secret_printed_by_a_job_is_stored_masked_and_opened_only_for_its_job,
    super::a_secret_printed_by_a_job_is_stored_masked_and_opened_only_for_its_job
);

async fn a_git_source_token_is_opened_with_the_jobs_secrets_under_its_own_name(db: TestDb) {
    use corral_runner::records::{JobSource, SOURCE_TOKEN};
    use corral_runner::secret_source::SecretSource;
    let master = MasterKey::from_bytes([7; 32]);
    let mut job = every_minute("sales-sync", "sh run.sh");
    job.secrets.insert("CRM_TOKEN".into(), "crm-token".into());
    job.source = JobSource::Git {
        url: "https://git.internal/sales/sync.git".into(),
        reference: "main".into(),
        subdirectory: None,
        token_secret: Some("git-token".into()),
        username: Some("oauth2".into()),
    };
    save_job(&db.store, &job).await;
    let secrets = StoreSecrets::new(db.store.clone(), MasterKey::from_bytes([7; 32]));

    // Not set yet: the run cannot start, and the note says which secret and how to set it.
    let mut tx = db.store.begin().await.unwrap();
    let crm = SealedSecret::seal(&master, &sealing_name(job.id, "crm-token"), "crm-1").unwrap();
    tx.set_job_secret(job.id, "crm-token", &crm, Utc::now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "job.secret_set").subject(job.id.to_string()));
    tx.commit().await.unwrap();
    let missing = secrets.resolve_for(&job).await.unwrap_err();
    assert_eq!(
        missing,
        "secret `git-token` (for source.token_secret) is not set for job `sales-sync`: run \
         `corral secrets set sales-sync git-token`"
    );

    let git = SealedSecret::seal(&master, &sealing_name(job.id, "git-token"), "tok-9").unwrap();
    let mut tx = db.store.begin().await.unwrap();
    tx.set_job_secret(job.id, "git-token", &git, Utc::now())
        .await
        .unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "job.secret_set").subject(job.id.to_string()));
    tx.commit().await.unwrap();
    let opened: Vec<(String, String)> = secrets
        .resolve_for(&job)
        .await
        .unwrap()
        .into_iter()
        .map(|(name, value)| (name, value.expose_secret().to_string()))
        .collect();
    assert_eq!(
        opened,
        [
            ("CRM_TOKEN".to_string(), "crm-1".to_string()),
            (SOURCE_TOKEN.to_string(), "tok-9".to_string())
        ]
    );
}
on_both_backends!(
    a_git_source_token_is_opened_with_the_jobs_secrets_under_its_own_name,
    super::a_git_source_token_is_opened_with_the_jobs_secrets_under_its_own_name
);

async fn retention_prunes_old_finished_runs_and_pings_but_never_pending_ones(db: TestDb) {
    let job = every_minute("report", "true");
    save_job(&db.store, &job).await;
    let old = t("2025-10-01T00:00:00Z");
    let recent = t("2026-06-01T00:00:00Z");
    let a = node(&db.store, "node-a");
    let mut finished_old = Run::queued(job.id, &job.name, Trigger::Manual, None, old);
    finished_old.state = RunState::Succeeded;
    finished_old.finished_at = Some(old);
    finished_old
        .log
        .lines
        .push(corral_runner::records::LogLine {
            at: old,
            stream: corral_runner::records::LogStream::Stdout,
            text: "old output".into(),
        });
    let queued_old = Run::queued(job.id, &job.name, Trigger::Manual, None, old);
    let mut finished_recent = Run::queued(job.id, &job.name, Trigger::Manual, None, recent);
    finished_recent.state = RunState::Failed;
    finished_recent.finished_at = Some(recent);
    for run in [&finished_old, &queued_old, &finished_recent] {
        a.insert_run(run.clone()).await.unwrap();
    }
    let check = corral_runner::records::HeartbeatCheck::new(
        Uuid::now_v7(),
        "laptop-export",
        CheckSchedule::Period {
            period_seconds: 3600,
            grace_seconds: 600,
        },
        old,
    );
    let mut tx = db.store.begin().await.unwrap();
    tx.insert_heartbeat_check(&check).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "heartbeat.created"));
    tx.commit().await.unwrap();
    for at in [old, recent] {
        db.store
            .record_heartbeat_ping(
                check.id,
                Ping {
                    at,
                    kind: PingKind::Success,
                    body: String::new(),
                },
            )
            .await
            .unwrap();
    }

    let cutoff = t("2026-06-01T00:00:00Z") - Duration::days(30 * 6);
    let (runs, pings) = db.store.prune_runner_history(cutoff).await.unwrap();
    assert_eq!((runs, pings), (1, 1));
    let left: Vec<_> = db
        .store
        .runs_of_job(job.id, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(left.len(), 2);
    assert!(left.contains(&queued_old.id) && left.contains(&finished_recent.id));
    assert!(
        db.store
            .run_with_log(finished_old.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.store.heartbeat_pings(check.id, 10).await.unwrap().len(),
        1
    );
}
on_both_backends!(
    retention_prunes_old_finished_runs_and_pings_but_never_pending_ones,
    super::retention_prunes_old_finished_runs_and_pings_but_never_pending_ones
);

async fn a_ping_keeps_ten_kib_of_body_and_moves_the_check_state(db: TestDb) {
    let at = t("2026-05-05T05:00:00Z");
    let check = corral_runner::records::HeartbeatCheck::new(
        Uuid::now_v7(),
        "nightly-export",
        CheckSchedule::Period {
            period_seconds: 3600,
            grace_seconds: 600,
        },
        at,
    );
    let mut tx = db.store.begin().await.unwrap();
    tx.insert_heartbeat_check(&check).await.unwrap();
    tx.audit(AuditEntry::new("ana@example.com", "heartbeat.created"));
    tx.commit().await.unwrap();

    let (after, alert) = db
        .store
        .record_heartbeat_ping(
            check.id,
            Ping {
                at,
                kind: PingKind::ExitCode(3),
                body: "x".repeat(50_000),
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.state, CheckState::Down);
    assert!(alert.is_some());
    let pings = db.store.heartbeat_pings(check.id, 10).await.unwrap();
    assert_eq!(pings.len(), 1);
    assert_eq!(pings[0].kind, PingKind::ExitCode(3));
    assert_eq!(pings[0].body.len(), 10 * 1024);
    let stored = db.store.heartbeat_check(check.id).await.unwrap().unwrap();
    assert_eq!(stored.state, CheckState::Down);
    assert!(
        db.store
            .record_heartbeat_ping(
                Uuid::now_v7(),
                Ping {
                    at,
                    kind: PingKind::Success,
                    body: String::new()
                }
            )
            .await
            .unwrap()
            .is_none()
    );
}
on_both_backends!(
    a_ping_keeps_ten_kib_of_body_and_moves_the_check_state,
    super::a_ping_keeps_ten_kib_of_body_and_moves_the_check_state
);

async fn a_second_job_with_a_taken_name_is_refused_by_name(db: TestDb) {
    save_job(&db.store, &every_minute("report", "true")).await;
    let mut tx = db.store.begin().await.unwrap();
    let err = tx
        .insert_job(&every_minute("report", "false"), Utc::now())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("a job named `report` already exists"), "{err}");
}
on_both_backends!(
    a_second_job_with_a_taken_name_is_refused_by_name,
    super::a_second_job_with_a_taken_name_is_refused_by_name
);

async fn the_console_reads_jobs_with_their_newest_runs_and_counts_runs_per_state(db: TestDb) {
    let base = t("2026-05-05T05:00:00Z");
    let mut jobs = Vec::new();
    // More jobs than one compound query takes, so the newest runs come in two parts.
    for n in 0..150 {
        let job = every_minute(&format!("job-{n:03}"), "true");
        save_job(&db.store, &job).await;
        for k in 0..3 {
            let at = base + Duration::minutes(k);
            let mut run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(at), at);
            run.state = if k == 2 && n % 2 == 0 {
                RunState::Failed
            } else {
                RunState::Succeeded
            };
            run.finished_at = Some(at + Duration::seconds(5));
            db.store.queue_run(&run).await.unwrap();
        }
        jobs.push(job);
    }
    assert_eq!(db.store.count_jobs().await.unwrap(), 150);
    let page = db.store.jobs_page(50, 100).await.unwrap();
    let names: Vec<&str> = page.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names.first(), Some(&"job-100"));
    assert_eq!(names.len(), 50);

    let ids: Vec<Uuid> = jobs.iter().map(|j| j.id).collect();
    let newest = db.store.latest_runs_of_jobs(&ids, 2).await.unwrap();
    assert_eq!(newest.len(), 150);
    for (n, job) in jobs.iter().enumerate() {
        let runs = &newest[&job.id];
        let slots: Vec<_> = runs.iter().map(|r| r.slot.unwrap()).collect();
        assert_eq!(
            slots,
            [base + Duration::minutes(2), base + Duration::minutes(1)],
            "the two newest, newest first"
        );
        let expected = if n % 2 == 0 {
            RunState::Failed
        } else {
            RunState::Succeeded
        };
        assert_eq!(runs[0].state, expected);
    }
    assert_eq!(db.store.count_runs_of_job(jobs[0].id).await.unwrap(), 3);

    let since_last = db
        .store
        .finished_runs_since(base + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(
        since_last,
        [(RunState::Failed, 75), (RunState::Succeeded, 75)]
    );
    let names = db.store.asset_names(&[Uuid::now_v7()]).await.unwrap();
    assert!(names.is_empty());
    assert!(db.store.heartbeat_state_counts().await.unwrap().is_empty());
}
on_both_backends!(
    the_console_reads_jobs_with_their_newest_runs_and_counts_runs_per_state,
    super::the_console_reads_jobs_with_their_newest_runs_and_counts_runs_per_state
);
