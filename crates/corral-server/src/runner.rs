//! The job runner inside `corral serve`, and alone as `corral runner`.
//!
//! [`start_runner`] starts, on the shared store, one runner node: the engine (scheduling,
//! claims, execution, retries, lease renewal and take-over of dead nodes' runs — see
//! `corral_store::runner_runs`), the heartbeat monitor's periodic pass, and retention.
//! Alerts the engine and the monitor raise are queued in the notification outbox like every
//! other event, so whichever server node dispatches notifications delivers them.
//!
//! Job files come from [`StoredSources`]: git repositories are mirrored under
//! `<data dir>/sources/git/` and checked out per run, uploaded bundles are kept under
//! `<data dir>/sources/bundles/` and unpacked per run.
//!
//! Secrets are opened with the master key from `CORRAL_MASTER_KEY` or `master.key` in the
//! data directory (created on first use), the same key `corral secrets` and the API seal
//! with.
//!
//! ```toml
//! [scheduler]
//! enabled = true             # run jobs in this process (`corral serve`)
//! max_concurrent_runs = 16   # runs executing at once on this node
//! lease_seconds = 30         # a node silent this long loses its runs to another node
//! retention_days = 183       # finished runs, logs and pings are pruned after this
//! heartbeat_check_seconds = 30   # how often heartbeat checks are re-evaluated
//! ```

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use corral_model::Event;
use corral_runner::clock::SystemClock;
use corral_runner::engine::{AlertSink, Engine, EngineOptions};
use corral_runner::executor::{ExecutorSettings, LocalExecutor};
use corral_runner::source::StoredSources;
use corral_secretbox::{MASTER_KEY_ENV, MasterKey};
use corral_store::runner_runs::default_node_name;
use corral_store::{RunnerStore, Store, StoreSecrets};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

use crate::notify::{NotifyConfig, fan_out};

/// The `[scheduler]` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchedulerConfig {
    /// Whether `corral serve` runs jobs itself (`corral runner` always does).
    pub enabled: bool,
    pub max_concurrent_runs: usize,
    pub lease_seconds: u64,
    pub retention_days: u64,
    pub heartbeat_check_seconds: u64,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_concurrent_runs: 16,
            lease_seconds: 30,
            retention_days: 183,
            heartbeat_check_seconds: 30,
        }
    }
}

/// What a runner node needs beyond the store.
#[derive(Debug, Clone, Default)]
pub struct RunnerOptions {
    pub scheduler: SchedulerConfig,
    /// The `[runner]` section: scratch directories, sandbox, default limits.
    pub executor: ExecutorSettings,
}

/// A started runner node.
pub struct RunnerNode {
    /// This node's name among runner nodes (host, process, random suffix).
    pub node: String,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunnerNode {
    /// Stops scheduling, waits for the runs in progress to finish and be recorded.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Queues alerts in the outbox (from a synchronous [`AlertSink`] call, through a channel).
struct OutboxAlerts(mpsc::UnboundedSender<Event>);

impl AlertSink for OutboxAlerts {
    fn emit(&self, event: Event) {
        let _ = self.0.send(event);
    }
}

async fn enqueue(store: &Store, notify: &NotifyConfig, event: &Event) -> corral_store::Result<()> {
    let targets: Vec<String> = fan_out(notify, event).into_iter().map(|(t, _)| t).collect();
    let mut tx = store.begin().await?;
    tx.enqueue_event(event, &targets);
    tx.commit().await?;
    Ok(())
}

/// Starts a runner node on `store`. `waker` (the notification dispatcher's, when it runs in
/// this process) is woken after an alert is queued.
pub fn start_runner(
    store: Store,
    notify: Arc<NotifyConfig>,
    options: RunnerOptions,
    waker: Option<Arc<Notify>>,
) -> Result<RunnerNode, String> {
    let master = MasterKey::resolve(
        std::env::var(MASTER_KEY_ENV).ok().as_deref(),
        store.data_dir(),
    )
    .map_err(|e| format!("cannot load the master key for job secrets: {e}"))?;
    let node = default_node_name();
    let scheduler = options.scheduler;
    let mut executor = options.executor;
    if executor.runs_dir == ExecutorSettings::default().runs_dir {
        executor.runs_dir = store.data_dir().join("runs");
    }
    let sources = StoredSources::new(store.data_dir(), executor.unpack_limits());
    let executor = LocalExecutor::new(executor, Arc::new(sources));
    match executor.job_exec() {
        Ok(helper) => {
            tracing::info!(helper = %helper.display(), "runs start through corral-job-exec")
        }
        Err(reason) => {
            tracing::warn!(%reason, "runs start through fork, which costs more per run")
        }
    }
    let (alert_tx, mut alert_rx) = mpsc::unbounded_channel::<Event>();
    let engine = Engine::with_options(
        Arc::new(RunnerStore::new(
            store.clone(),
            node.clone(),
            chrono::Duration::seconds(scheduler.lease_seconds.max(2) as i64),
        )),
        Arc::new(SystemClock),
        Arc::new(executor),
        Arc::new(StoreSecrets::new(store.clone(), master)),
        Arc::new(OutboxAlerts(alert_tx.clone())),
        EngineOptions {
            max_concurrent_runs: scheduler.max_concurrent_runs,
            // Renewals happen at every tick: tick well within the lease.
            poll_interval: Duration::from_millis(
                (scheduler.lease_seconds.max(2) * 1000 / 4).min(1000),
            ),
            ..EngineOptions::default()
        },
    );
    let (stop, stopped) = watch::channel(false);
    let mut tasks = Vec::new();

    let mut engine_stop = stopped.clone();
    tasks.push(tokio::spawn(async move {
        engine
            .run(async move {
                let _ = engine_stop.wait_for(|s| *s).await;
            })
            .await;
    }));

    let alert_store = store.clone();
    let alert_notify = notify.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(event) = alert_rx.recv().await {
            match enqueue(&alert_store, &alert_notify, &event).await {
                Ok(()) => {
                    if let Some(waker) = &waker {
                        waker.notify_one();
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, title = %event.title, "could not queue a job alert")
                }
            }
        }
    }));

    let mut maintenance_stop = stopped;
    tasks.push(tokio::spawn(async move {
        let every = Duration::from_secs(scheduler.heartbeat_check_seconds.max(1));
        let mut last_prune: Option<chrono::DateTime<Utc>> = None;
        loop {
            let now = Utc::now();
            if last_prune.is_none_or(|at| now - at > chrono::Duration::hours(1)) {
                last_prune = Some(now);
                let cutoff = now - chrono::Duration::days(scheduler.retention_days as i64);
                match store.prune_runner_history(cutoff).await {
                    Ok((runs, pings)) if runs + pings > 0 => {
                        tracing::info!(
                            runs,
                            pings,
                            "pruned runner history older than the retention period"
                        )
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "could not prune runner history"),
                }
            }
            if let Err(e) = evaluate_heartbeats(&store, &alert_tx, now).await {
                tracing::warn!(error = %e, "could not evaluate heartbeat checks");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = maintenance_stop.wait_for(|s| *s) => break,
            }
        }
    }));

    Ok(RunnerNode {
        node,
        shutdown: stop,
        tasks,
    })
}

/// Moves every heartbeat check along the clock and raises the alerts its transitions call
/// for (a transition another node saved first is left to that node).
pub async fn evaluate_heartbeats(
    store: &Store,
    alerts: &mpsc::UnboundedSender<Event>,
    now: chrono::DateTime<Utc>,
) -> corral_store::Result<()> {
    for mut check in store.heartbeat_checks().await? {
        let before = check.state;
        let alert = check.evaluate(now);
        if check.state != before
            && store.save_heartbeat_state(&check, before, now).await?
            && let Some(alert) = alert
        {
            let _ = alerts.send(alert.to_event(&check, now));
        }
    }
    Ok(())
}
