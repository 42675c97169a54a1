//! The engine end to end with a fake clock: scheduled runs, retries and their alerts,
//! overlap, catch-up after downtime, exactly-once windows.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use corral_model::{Event, EventKind};
use corral_runner::clock::FakeClock;
use corral_runner::engine::Engine;
use corral_runner::executor::{ExecutorSettings, LocalExecutor};
use corral_runner::records::{
    CommandLine, Job, OverlapPolicy, RetryPolicy, RunState, Schedule, Trigger,
};
use corral_runner::sandbox::SandboxMode;
use corral_runner::secret_source::StaticSecrets;
use corral_runner::source::LocalSources;
use corral_runner::store::{MemoryStore, RunStore};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

struct Harness {
    engine: Arc<Engine<MemoryStore>>,
    store: Arc<MemoryStore>,
    clock: Arc<FakeClock>,
    alerts: Arc<Mutex<Vec<Event>>>,
    _dir: tempfile::TempDir,
}

/// A harness whose engine has ticked once at `start` (the first tick starts its clock).
async fn harness(jobs: Vec<Job>, start: &str) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::with_jobs(jobs));
    let clock = Arc::new(FakeClock::new(t(start)));
    let alerts = Arc::new(Mutex::new(Vec::new()));
    let executor = LocalExecutor::new(
        ExecutorSettings {
            runs_dir: dir.path().join("runs"),
            sandbox: SandboxMode::Off,
            ..ExecutorSettings::default()
        },
        Arc::new(LocalSources),
    );
    let engine = Engine::new(
        store.clone(),
        clock.clone(),
        Arc::new(executor),
        Arc::new(StaticSecrets::default()),
        alerts.clone(),
        4,
    );
    engine.tick().await.unwrap();
    Harness {
        engine,
        store,
        clock,
        alerts,
        _dir: dir,
    }
}

fn scheduled(name: &str, script: &str, cron: &str) -> Job {
    let mut job = Job::new(name, CommandLine::Shell(script.into()));
    job.schedule = Some(Schedule {
        cron: cron.into(),
        timezone: "Europe/Berlin".into(),
    });
    job
}

impl Harness {
    async fn tick_at(&self, at: &str) {
        self.clock.set(t(at));
        self.engine.tick().await.unwrap();
        self.engine.wait_idle().await;
    }

    fn alert_titles(&self) -> Vec<String> {
        self.alerts
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.title.clone())
            .collect()
    }
}

#[tokio::test]
async fn a_slot_runs_once_however_often_the_engine_ticks() {
    let h = harness(
        vec![scheduled("report", "echo ok", "0 7 * * *")],
        "2026-05-05T04:59:00Z",
    )
    .await;
    for at in [
        "2026-05-05T04:59:30Z",
        "2026-05-05T05:00:00Z",
        "2026-05-05T05:00:00Z",
        "2026-05-05T05:00:01Z",
        "2026-05-05T05:00:30Z",
    ] {
        h.tick_at(at).await;
    }
    let runs = h.store.all_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].state, RunState::Succeeded);
    assert_eq!(runs[0].slot, Some(t("2026-05-05T05:00:00Z")));
    assert_eq!(runs[0].log.text().lines().next(), Some("ok"));
    assert!(h.alert_titles().is_empty());
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_and_alerts_only_after_the_last_attempt() {
    let mut job = scheduled("flaky", "echo broken >&2; exit 1", "0 7 * * *");
    job.retry = RetryPolicy {
        max_retries: 2,
        initial_delay_seconds: 60,
        multiplier: 2.0,
        max_delay_seconds: 3600,
    };
    let h = harness(vec![job], "2026-05-05T04:59:00Z").await;
    h.tick_at("2026-05-05T05:00:00Z").await;
    assert!(
        h.alert_titles().is_empty(),
        "the first failure will be retried"
    );
    h.tick_at("2026-05-05T05:00:59Z").await;
    assert_eq!(
        h.store.all_runs().len(),
        2,
        "the retry waits out its backoff"
    );
    h.tick_at("2026-05-05T05:01:10Z").await;
    assert!(h.alert_titles().is_empty());
    h.tick_at("2026-05-05T05:03:30Z").await;

    let runs = h.store.all_runs();
    let attempts: Vec<_> = runs
        .iter()
        .map(|r| (r.trigger, r.attempt, r.state))
        .collect();
    assert_eq!(
        attempts,
        [
            (Trigger::Schedule, 1, RunState::Failed),
            (Trigger::Retry, 2, RunState::Failed),
            (Trigger::Retry, 3, RunState::Failed),
        ]
    );
    assert!(
        runs[1..]
            .iter()
            .all(|r| r.retry_of == Some(runs[0].id) && r.slot == runs[0].slot)
    );
    assert_eq!(
        h.alert_titles(),
        ["job flaky failed after 3 attempts: exited with status 1"]
    );
    assert!(h.alerts.lock().unwrap()[0].body.contains("err | broken"));
}

#[tokio::test]
async fn a_job_that_recovers_announces_it() {
    let marker = tempfile::tempdir().unwrap();
    let flag = marker.path().join("ok");
    let script = format!("test -e {} || exit 4", flag.display());
    let h = harness(
        vec![scheduled("toggle", &script, "0 * * * *")],
        "2026-05-05T04:59:00Z",
    )
    .await;
    h.tick_at("2026-05-05T05:00:00Z").await;
    std::fs::write(&flag, "").unwrap();
    h.tick_at("2026-05-05T06:00:00Z").await;
    h.tick_at("2026-05-05T07:00:00Z").await;
    let kinds: Vec<_> = h.alerts.lock().unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::JobAlert, EventKind::JobRecovered]);
}

#[tokio::test]
async fn forbid_skips_a_slot_while_the_previous_run_is_still_going_and_replace_cancels_it() {
    for (policy, first, second) in [
        (
            OverlapPolicy::Forbid,
            RunState::Succeeded,
            RunState::Skipped,
        ),
        (
            OverlapPolicy::Replace,
            RunState::Cancelled,
            RunState::Succeeded,
        ),
    ] {
        let mut job = scheduled("slow", "sleep 1", "* * * * *");
        job.overlap = policy;
        let h = harness(vec![job], "2026-05-05T04:59:30Z").await;
        h.clock.set(t("2026-05-05T05:00:00Z"));
        // The first run is registered as running when dispatched, before its process starts.
        h.engine.tick().await.unwrap();
        h.clock.set(t("2026-05-05T05:01:00Z"));
        h.engine.tick().await.unwrap();
        h.engine.wait_idle().await;
        let states: Vec<_> = h.store.all_runs().iter().map(|r| r.state).collect();
        assert_eq!(states, [first, second], "{policy:?}");
    }
}

#[tokio::test]
async fn after_downtime_the_latest_slot_is_caught_up_and_the_missed_ones_are_recorded_and_alerted()
{
    let h = harness(
        vec![scheduled("hourly", "echo tick", "0 * * * *")],
        "2026-05-05T04:30:00Z",
    )
    .await;
    h.tick_at("2026-05-05T04:30:00Z").await;
    // The runner was down from 04:30 to 08:20 UTC.
    h.tick_at("2026-05-05T08:20:00Z").await;
    let runs = h.store.all_runs();
    let summary: Vec<_> = runs
        .iter()
        .map(|r| (r.slot.unwrap().to_rfc3339(), r.state, r.trigger))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "2026-05-05T05:00:00+00:00".to_string(),
                RunState::Missed,
                Trigger::Schedule
            ),
            (
                "2026-05-05T06:00:00+00:00".to_string(),
                RunState::Missed,
                Trigger::Schedule
            ),
            (
                "2026-05-05T07:00:00+00:00".to_string(),
                RunState::Missed,
                Trigger::Schedule
            ),
            (
                "2026-05-05T08:00:00+00:00".to_string(),
                RunState::Succeeded,
                Trigger::CatchUp
            ),
        ]
    );
    assert_eq!(h.alert_titles(), ["job hourly missed 3 scheduled run(s)"]);
}

#[tokio::test]
async fn a_second_engine_cannot_commit_a_window_another_already_processed() {
    let store = MemoryStore::with_jobs(vec![]);
    store
        .commit_window(None, t("2026-05-05T05:00:00Z"), vec![])
        .await
        .unwrap();
    let stale = store
        .commit_window(None, t("2026-05-05T05:00:01Z"), vec![])
        .await
        .unwrap_err();
    assert!(stale.to_string().contains("already processed"), "{stale}");
}

#[tokio::test]
async fn a_manual_trigger_runs_a_job_without_a_schedule() {
    let job = Job::new("adhoc", CommandLine::Shell("echo by hand".into()));
    let id = job.id;
    let h = harness(vec![job], "2026-05-05T05:00:00Z").await;
    let queued = h.engine.trigger(id).await.unwrap();
    assert_eq!(queued.trigger, Trigger::Manual);
    h.tick_at("2026-05-05T05:00:01Z").await;
    let runs = h.store.all_runs();
    assert_eq!(runs[0].state, RunState::Succeeded);
    assert!(runs[0].log.text().starts_with("by hand"));
}

#[tokio::test]
async fn a_success_whose_output_collapsed_raises_a_went_quiet_alert() {
    let marker = tempfile::tempdir().unwrap();
    let flag = marker.path().join("quiet");
    let script = format!(
        "test -e {} && exit 0; i=0; while [ $i -lt 50 ]; do echo row-$i; i=$((i+1)); done",
        flag.display()
    );
    let h = harness(
        vec![scheduled("export", &script, "0 * * * *")],
        "2026-05-05T00:30:00Z",
    )
    .await;
    h.tick_at("2026-05-05T00:30:00Z").await;
    for hour in 1..=6 {
        h.tick_at(&format!("2026-05-05T{hour:02}:00:00Z")).await;
    }
    assert!(h.alert_titles().is_empty());
    std::fs::write(&flag, "").unwrap();
    h.tick_at("2026-05-05T07:00:00Z").await;
    let titles = h.alert_titles();
    assert_eq!(titles.len(), 1);
    assert!(
        titles[0].starts_with("job export went quiet: it wrote 0 bytes of output"),
        "{titles:?}"
    );
}
