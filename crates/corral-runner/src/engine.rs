//! The engine: scheduler, store, executor and alerts working together.
//!
//! One [`Engine::tick`] does, in order:
//!
//! 1. read the last processed instant and the jobs, ask the [`Scheduler`] for the window up
//!    to now, and commit the window with its new runs (queued, missed) in one store call —
//!    so a crash between steps never runs a slot twice or loses it;
//! 2. alert once per job for slots it missed;
//! 3. claim queued runs that may start (new slots, manual triggers, retries whose backoff
//!    has passed) and dispatch each under its job's overlap policy: `forbid` records the
//!    new run as skipped while one runs, `replace` cancels the running one first, `allow`
//!    just starts;
//! 4. each dispatched run executes on its own task, bounded by a concurrency limit. The
//!    moment its process exits, the outcome is stored together with its retry (with
//!    backoff) when one is due — before the output is fully collected, so a node dying
//!    late in a run has as little chance as possible to leave a finished job unrecorded
//!    (which another node would run again). Then its log is stored and the alert decided:
//!    failure after the last retry, recovery, or "went quiet" against the job's baseline.
//!    Each finished run wakes the engine to start queued runs in the capacity it freed,
//!    without waiting for the next tick.
//!
//! With several runner nodes on one database, a node claims only as many queued runs as it
//! has free capacity, so the others get a share; each tick it renews the leases of the runs
//! it holds, and collects the runs of nodes that stopped renewing theirs (a node killed
//! mid-run): the store marks each failed and stores its retry in the same step when the
//! job's policy allows one, and the alert follows the usual rule. A window another node
//! committed first is simply not this node's to schedule.
//!
//! Time comes from a [`Clock`], so tests drive the engine with a fake one and call `tick`
//! themselves; [`Engine::run`] is the loop for real use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use corral_model::Event;
use tokio::sync::{Notify, Semaphore, oneshot};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::alerts::{self, JobAlert};
use crate::baseline::{Baseline, MAX_SAMPLES};
use crate::clock::Clock;
use crate::executor::{CancelHandle, LocalExecutor};
use crate::records::{Job, OverlapPolicy, Run, RunState, Trigger};
use crate::scheduler::Scheduler;
use crate::secret_source::SecretSource;
use crate::store::{JobStore, RunStore, StoreError};

/// Receives the events alerts produce (the server's notification dispatcher).
pub trait AlertSink: Send + Sync {
    fn emit(&self, event: Event);
}

/// Collects events in memory.
impl AlertSink for Mutex<Vec<Event>> {
    fn emit(&self, event: Event) {
        self.lock().expect("alert lock").push(event);
    }
}

/// How an engine behaves, beyond its collaborators.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Runs executing at once on this node; queued runs beyond it stay for later (or for
    /// another node).
    pub max_concurrent_runs: usize,
    /// How old a slot may be and still count as on time (see [`Scheduler`]).
    pub on_time_tolerance: chrono::Duration,
    /// Longest real time between two ticks of [`Engine::run`].
    pub poll_interval: std::time::Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            max_concurrent_runs: 16,
            on_time_tolerance: chrono::Duration::seconds(60),
            poll_interval: std::time::Duration::from_secs(1),
        }
    }
}

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickReport {
    pub queued: usize,
    pub missed: usize,
    pub dispatched: usize,
    pub skipped: usize,
    /// Runs of other nodes found with an expired lease and marked failed.
    pub lost: usize,
    /// Whether another node had already scheduled this window.
    pub window_taken: bool,
    /// Jobs whose schedule is invalid, with the reason.
    pub invalid: Vec<(Uuid, String)>,
}

pub struct Engine<S> {
    store: Arc<S>,
    clock: Arc<dyn Clock>,
    executor: Arc<LocalExecutor>,
    secrets: Arc<dyn SecretSource>,
    alerts: Arc<dyn AlertSink>,
    scheduler: Mutex<Scheduler>,
    running: Mutex<HashMap<Uuid, Vec<(Uuid, CancelHandle)>>>,
    /// The job definitions read by the last tick, for starting runs between ticks.
    jobs: Mutex<Arc<HashMap<Uuid, Job>>>,
    /// Signalled when a run ends and frees capacity.
    freed: Notify,
    permits: Arc<Semaphore>,
    max_concurrent_runs: usize,
    poll_interval: std::time::Duration,
    tasks: tokio::sync::Mutex<JoinSet<()>>,
}

impl<S: JobStore + RunStore + 'static> Engine<S> {
    pub fn new(
        store: Arc<S>,
        clock: Arc<dyn Clock>,
        executor: Arc<LocalExecutor>,
        secrets: Arc<dyn SecretSource>,
        alerts: Arc<dyn AlertSink>,
        max_concurrent_runs: usize,
    ) -> Arc<Self> {
        Self::with_options(
            store,
            clock,
            executor,
            secrets,
            alerts,
            EngineOptions {
                max_concurrent_runs,
                ..EngineOptions::default()
            },
        )
    }

    /// An engine with every option.
    pub fn with_options(
        store: Arc<S>,
        clock: Arc<dyn Clock>,
        executor: Arc<LocalExecutor>,
        secrets: Arc<dyn SecretSource>,
        alerts: Arc<dyn AlertSink>,
        options: EngineOptions,
    ) -> Arc<Self> {
        let max_concurrent_runs = options.max_concurrent_runs.max(1);
        let defaults = Scheduler::default();
        Arc::new(Self {
            store,
            clock,
            executor,
            secrets,
            alerts,
            scheduler: Mutex::new(Scheduler::new(
                options.on_time_tolerance,
                defaults.max_missed_per_job,
            )),
            running: Mutex::new(HashMap::new()),
            jobs: Mutex::new(Arc::new(HashMap::new())),
            freed: Notify::new(),
            permits: Arc::new(Semaphore::new(max_concurrent_runs)),
            max_concurrent_runs,
            poll_interval: options.poll_interval,
            tasks: tokio::sync::Mutex::new(JoinSet::new()),
        })
    }

    /// Queues a manual run of `job_id`; it starts at the next tick.
    pub async fn trigger(&self, job_id: Uuid) -> Result<Run, StoreError> {
        let job = self
            .store
            .job(job_id)
            .await?
            .ok_or(StoreError::Backend(format!("no job {job_id}")))?;
        let run = Run::queued(job.id, &job.name, Trigger::Manual, None, self.clock.now());
        self.store.insert_run(run.clone()).await?;
        Ok(run)
    }

    /// One scheduling step (see the module documentation).
    pub async fn tick(self: &Arc<Self>) -> Result<TickReport, StoreError> {
        let now = self.clock.now();
        let mut report = TickReport::default();
        let last = self.store.last_processed().await?;
        let jobs = self.store.jobs().await?;
        // The very first tick starts the clock: nothing before it was ever scheduled here.
        let window_start = last.unwrap_or(now);
        let due = {
            let mut scheduler = self.scheduler.lock().expect("scheduler lock");
            let ids: std::collections::HashSet<Uuid> = jobs.iter().map(|j| j.id).collect();
            scheduler.retain(|id| ids.contains(id));
            scheduler.due(&jobs, window_start, now)
        };
        let by_id: Arc<HashMap<Uuid, Job>> =
            Arc::new(jobs.into_iter().map(|j| (j.id, j)).collect());
        *self.jobs.lock().expect("jobs lock") = Arc::clone(&by_id);
        report.invalid = due
            .invalid
            .iter()
            .map(|(id, e)| (*id, e.to_string()))
            .collect();

        let mut new_runs = Vec::new();
        let mut missed_by_job: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
        for missed in &due.missed {
            let job = &by_id[&missed.job_id];
            new_runs.push(Run::not_executed(
                job.id,
                &job.name,
                missed.slot,
                RunState::Missed,
                "the runner was not processing schedules at this time; the catch-up policy did not run it",
                now,
            ));
            missed_by_job.entry(job.id).or_default().push(missed.slot);
        }
        for slot in &due.run {
            let job = &by_id[&slot.job_id];
            new_runs.push(Run::queued(
                job.id,
                &job.name,
                slot.trigger,
                Some(slot.slot),
                now,
            ));
        }
        if now > window_start || last.is_none() {
            match self.store.commit_window(last, now, new_runs).await {
                Ok(()) => {
                    report.missed = due.missed.len();
                    report.queued = due.run.len();
                    for (job_id, slots) in missed_by_job {
                        let job = &by_id[&job_id];
                        self.alerts
                            .emit(JobAlert::Missed { slots }.to_event(job, now));
                    }
                }
                // Another node scheduled this window first; its runs are in the store.
                Err(StoreError::WindowTaken(_)) => report.window_taken = true,
                Err(e) => return Err(e),
            }
        }

        let held: Vec<Uuid> = self
            .running
            .lock()
            .expect("running lock")
            .values()
            .flat_map(|runs| runs.iter().map(|(id, _)| *id))
            .collect();
        self.store.renew_leases(now, &held).await?;
        report.lost = self.collect_lost_runs(&by_id, now).await?;

        let (dispatched, skipped) = self.start_queued(&by_id, now).await?;
        report.dispatched = dispatched;
        report.skipped += skipped;
        Ok(report)
    }

    /// Claims as many queued runs as this node has free capacity for and dispatches them,
    /// with the job definitions of the last tick (a job missing from them is read from the
    /// store). Returns how many were dispatched and how many skipped.
    async fn start_queued(
        self: &Arc<Self>,
        jobs: &HashMap<Uuid, Job>,
        now: DateTime<Utc>,
    ) -> Result<(usize, usize), StoreError> {
        let in_flight: usize = self
            .running
            .lock()
            .expect("running lock")
            .values()
            .map(Vec::len)
            .sum();
        let capacity = self.max_concurrent_runs.saturating_sub(in_flight);
        let (mut dispatched, mut skipped) = (0, 0);
        if capacity == 0 {
            return Ok((dispatched, skipped));
        }
        for mut run in self.store.claim_queued(now, capacity).await? {
            let job = match jobs.get(&run.job_id) {
                Some(job) => Some(job.clone()),
                None => self.store.job(run.job_id).await?,
            };
            let Some(job) = job else {
                // Queued before its job was deleted: close it rather than hold it forever.
                run.state = RunState::Skipped;
                run.finished_at = Some(now);
                run.note = Some("skipped: the job was deleted before the run started".into());
                self.store.update_run(&run).await?;
                skipped += 1;
                continue;
            };
            if self.dispatch(job, run).await? {
                dispatched += 1;
            } else {
                skipped += 1;
            }
        }
        Ok((dispatched, skipped))
    }

    /// Fills the capacity that finished runs freed, between ticks: a burst of due runs
    /// larger than the concurrency limit then starts as fast as runs end, rather than one
    /// limit's worth per poll interval. Schedules are not evaluated here; that stays with
    /// [`Engine::tick`].
    pub async fn start_freed(self: &Arc<Self>) -> Result<usize, StoreError> {
        let jobs = Arc::clone(&self.jobs.lock().expect("jobs lock"));
        let (dispatched, _) = self.start_queued(&jobs, self.clock.now()).await?;
        Ok(dispatched)
    }

    /// Marks the runs of vanished nodes failed (with their retries, in the same store step)
    /// and raises the alerts a failure after the last attempt deserves.
    async fn collect_lost_runs(
        &self,
        jobs: &HashMap<Uuid, Job>,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let retry_for = |lost: &Run| -> Option<Run> {
            let job = jobs.get(&lost.job_id)?;
            job.retry
                .allows_another(lost.attempt)
                .then(|| retry_of(job, lost, now))
        };
        let lost = self.store.reap_lost(now, &retry_for).await?;
        for run in &lost {
            let Some(job) = jobs.get(&run.job_id) else {
                continue;
            };
            let will_retry = job.retry.allows_another(run.attempt);
            if let Some(alert) = alerts::after_run(run, will_retry, None, None) {
                self.alerts.emit(alert.to_event(job, now));
            }
        }
        Ok(lost.len())
    }

    /// The earliest next slot over all jobs, to sleep until.
    pub fn next_slot(&self) -> Option<DateTime<Utc>> {
        self.scheduler.lock().expect("scheduler lock").next_slot()
    }

    /// Ticks until `shutdown` resolves, waking at the next slot and at least once per poll
    /// interval (for manual triggers, retries and leases).
    pub async fn run(self: Arc<Self>, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "scheduler tick failed");
            }
            let now = self.clock.now();
            let poll = self.poll_interval.as_millis() as i64;
            let wake = self
                .next_slot()
                .map_or(poll, |n| (n - now).num_milliseconds().clamp(0, poll));
            let next_tick = tokio::time::sleep(std::time::Duration::from_millis(wake as u64));
            tokio::pin!(next_tick);
            loop {
                tokio::select! {
                    _ = &mut next_tick => break,
                    _ = &mut shutdown => {
                        self.wait_idle().await;
                        return;
                    }
                    _ = self.freed.notified() => {
                        if let Err(e) = self.start_freed().await {
                            tracing::warn!(error = %e, "starting queued runs failed");
                        }
                    }
                }
            }
        }
    }

    /// Waits until every dispatched run has finished and been recorded.
    pub async fn wait_idle(&self) {
        let mut tasks = self.tasks.lock().await;
        while tasks.join_next().await.is_some() {}
    }

    /// Starts `run` under the job's overlap policy; `false` when it was skipped.
    async fn dispatch(self: &Arc<Self>, job: Job, mut run: Run) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let running: Vec<(Uuid, CancelHandle)> = self
            .running
            .lock()
            .expect("running lock")
            .get(&job.id)
            .cloned()
            .unwrap_or_default();
        if !running.is_empty() {
            match job.overlap {
                OverlapPolicy::Forbid => {
                    run.state = RunState::Skipped;
                    run.finished_at = Some(now);
                    run.note = Some(format!(
                        "skipped: run {} was still running (overlap policy `forbid`)",
                        running[0].0
                    ));
                    self.store.update_run(&run).await?;
                    return Ok(false);
                }
                OverlapPolicy::Replace => {
                    for (_, handle) in &running {
                        handle.cancel();
                    }
                }
                OverlapPolicy::Allow => {}
            }
        }
        let cancel = CancelHandle::new();
        self.running
            .lock()
            .expect("running lock")
            .entry(job.id)
            .or_default()
            .push((run.id, cancel.clone()));
        let engine = Arc::clone(self);
        self.tasks.lock().await.spawn(async move {
            let permit = engine.permits.clone().acquire_owned().await;
            run.state = RunState::Running;
            run.started_at = Some(engine.clock.now());
            let _ = engine.store.update_run(&run).await;
            let recorded = match engine.secrets.resolve_for(&job).await {
                Ok(secrets) => {
                    // The outcome is stored the moment the process exits, while the
                    // executor is still collecting the last output and cleaning up.
                    let (exited, exit) = oneshot::channel();
                    let execute = engine
                        .executor
                        .execute_reporting(&job, &run, &secrets, cancel, exited);
                    let record = async {
                        let mut finished = run.clone();
                        exit.await.ok()?.apply_to(&mut finished);
                        Some(engine.record_outcome(&job, &finished).await)
                    };
                    let (execution, recorded) = tokio::join!(execute, record);
                    execution.apply_to(&mut run);
                    match recorded {
                        Some(recorded) => recorded,
                        None => engine.record_outcome(&job, &run).await,
                    }
                }
                Err(reason) => {
                    run.state = RunState::Failed;
                    run.finished_at = Some(engine.clock.now());
                    run.note = Some(format!("not started: {reason}"));
                    engine.record_outcome(&job, &run).await
                }
            };
            drop(permit);
            if let Some(list) = engine
                .running
                .lock()
                .expect("running lock")
                .get_mut(&job.id)
            {
                list.retain(|(id, _)| *id != run.id);
            }
            engine.freed.notify_one();
            let result = match recorded {
                Ok(will_retry) => engine.after_run(&job, run, will_retry).await,
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, job = %job.name, "could not record a finished run");
            }
        });
        Ok(true)
    }

    /// Stores how `run` ended, with its retry when the job's policy allows one, as the
    /// first thing after its process exited (see [`RunStore::finish_run`]). Returns whether
    /// a retry was queued.
    async fn record_outcome(&self, job: &Job, run: &Run) -> Result<bool, StoreError> {
        let will_retry = run.state.is_failure() && job.retry.allows_another(run.attempt);
        let retry = will_retry.then(|| retry_of(job, run, self.clock.now()));
        self.store.finish_run(run, retry.as_ref()).await?;
        Ok(will_retry)
    }

    /// What follows a recorded outcome and may take its time: the log, and the alert.
    async fn after_run(&self, job: &Job, run: Run, will_retry: bool) -> Result<(), StoreError> {
        self.store.save_log(&run).await?;
        let history = self.store.recent_runs(job.id, MAX_SAMPLES + 10).await?;
        let earlier: Vec<Run> = history.into_iter().filter(|r| r.id != run.id).collect();
        let previous = alerts::previous_outcome(&earlier, &run);
        let quiet = Baseline::from_history(&earlier).and_then(|b| b.check(&run));
        if let Some(alert) = alerts::after_run(&run, will_retry, previous, quiet) {
            self.alerts.emit(alert.to_event(job, self.clock.now()));
        }
        Ok(())
    }
}

/// The next attempt after the failed `run`, waiting out its backoff from `now`.
fn retry_of(job: &Job, run: &Run, now: DateTime<Utc>) -> Run {
    let mut retry = Run::queued(job.id, &job.name, Trigger::Retry, run.slot, now);
    retry.attempt = run.attempt + 1;
    retry.retry_of = Some(run.retry_of.unwrap_or(run.id));
    retry.not_before = now + job.retry.delay_before(run.attempt);
    retry
}
