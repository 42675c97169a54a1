//! What the engine needs from persistence, and an in-memory implementation.
//!
//! [`JobStore`] lists job definitions; [`RunStore`] keeps runs and the scheduler's
//! progress. The one operation that makes scheduling exactly-once across restarts (and,
//! with the SQL store, across nodes) is [`RunStore::commit_window`]: it advances the last
//! processed instant from the value the caller read, and stores the runs of that window, in
//! one step — or refuses because someone else already advanced it. The PostgreSQL store
//! implements it with a row lock on the scheduler state; [`MemoryStore`] with a mutex.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::records::{Job, Run, RunState};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("another scheduler already processed up to {0}")]
    WindowTaken(String),
    #[error("no run with id {0}")]
    UnknownRun(Uuid),
    #[error("storage failed: {0}")]
    Backend(String),
}

pub trait JobStore: Send + Sync {
    fn jobs(&self) -> impl Future<Output = Result<Vec<Job>, StoreError>> + Send;
    fn job(&self, id: Uuid) -> impl Future<Output = Result<Option<Job>, StoreError>> + Send;
}

pub trait RunStore: Send + Sync {
    /// The end of the last processed window, `None` before the first one.
    fn last_processed(
        &self,
    ) -> impl Future<Output = Result<Option<DateTime<Utc>>, StoreError>> + Send;

    /// Moves the processed instant from `expected` to `until` and stores `runs`, atomically.
    fn commit_window(
        &self,
        expected: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        runs: Vec<Run>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn insert_run(&self, run: Run) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn update_run(&self, run: &Run) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records how a run this node executed ended — state, times, exit code, signal, note,
    /// sandboxing, but not its log — and stores `retry`, when there is one, in the same
    /// step.
    ///
    /// The engine calls this the moment the run's process has exited, before anything that
    /// can wait (collecting the rest of the output, removing the scratch directory, storing
    /// the log), because until the outcome is stored a node that dies leaves the run to be
    /// failed over and executed again. Without a retry it is one statement. Refused, like
    /// [`RunStore::update_run`], when the run is no longer this node's or already finished.
    fn finish_run(
        &self,
        run: &Run,
        retry: Option<&Run>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Stores the (already masked) log of a run this node finished with
    /// [`RunStore::finish_run`].
    fn save_log(&self, run: &Run) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Queued runs whose `not_before` has come, oldest first, each handed out once.
    fn claim_queued(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Run>, StoreError>> + Send;

    /// The job's most recent runs, newest first.
    fn recent_runs(
        &self,
        job_id: Uuid,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Run>, StoreError>> + Send;

    /// Extends the leases of `runs`, which this node claimed and has not finished. A store
    /// shared by several nodes hands each claim out with a lease; one process alone needs
    /// none.
    fn renew_leases(
        &self,
        now: DateTime<Utc>,
        runs: &[Uuid],
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let _ = (now, runs);
        async { Ok(()) }
    }

    /// Runs that were executing on a node whose lease expired (the node died or lost the
    /// database): each is marked failed with a note saying so, and the run `retry_for`
    /// returns for it (when the job's policy allows another attempt) is stored in the same
    /// step, so a crash here can neither lose the retry nor store it twice. Returns the
    /// runs as marked. Runs claimed but not yet started need nothing: their expired claim
    /// makes them claimable again.
    fn reap_lost(
        &self,
        now: DateTime<Utc>,
        retry_for: &(dyn Fn(&Run) -> Option<Run> + Send + Sync),
    ) -> impl Future<Output = Result<Vec<Run>, StoreError>> + Send {
        let _ = (now, retry_for);
        async { Ok(Vec::new()) }
    }
}

/// Jobs and runs in memory, for tests, benchmarks and single-shot local use.
#[derive(Debug, Default)]
pub struct MemoryStore {
    jobs: Mutex<Vec<Job>>,
    runs: Mutex<MemoryRuns>,
}

#[derive(Debug, Default)]
struct MemoryRuns {
    last_processed: Option<DateTime<Utc>>,
    order: Vec<Uuid>,
    by_id: HashMap<Uuid, Run>,
    /// Run ids per job, in insertion order.
    by_job: HashMap<Uuid, Vec<Uuid>>,
    /// Queued runs not yet handed to an engine, in the order they were added.
    queue: std::collections::VecDeque<Uuid>,
}

impl MemoryStore {
    pub fn with_jobs(jobs: Vec<Job>) -> Self {
        Self {
            jobs: Mutex::new(jobs),
            runs: Mutex::default(),
        }
    }

    pub fn set_jobs(&self, jobs: Vec<Job>) {
        *self.jobs.lock().expect("jobs lock") = jobs;
    }

    /// Every run, in insertion order.
    pub fn all_runs(&self) -> Vec<Run> {
        let runs = self.runs.lock().expect("runs lock");
        runs.order.iter().map(|id| runs.by_id[id].clone()).collect()
    }
}

impl MemoryRuns {
    fn add(&mut self, run: Run) {
        self.order.push(run.id);
        self.by_job.entry(run.job_id).or_default().push(run.id);
        if run.state == RunState::Queued {
            self.queue.push_back(run.id);
        }
        self.by_id.insert(run.id, run);
    }
}

impl JobStore for MemoryStore {
    async fn jobs(&self) -> Result<Vec<Job>, StoreError> {
        Ok(self.jobs.lock().expect("jobs lock").clone())
    }

    async fn job(&self, id: Uuid) -> Result<Option<Job>, StoreError> {
        Ok(self
            .jobs
            .lock()
            .expect("jobs lock")
            .iter()
            .find(|j| j.id == id)
            .cloned())
    }
}

impl RunStore for MemoryStore {
    async fn last_processed(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.runs.lock().expect("runs lock").last_processed)
    }

    async fn commit_window(
        &self,
        expected: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        runs: Vec<Run>,
    ) -> Result<(), StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        if store.last_processed != expected {
            return Err(StoreError::WindowTaken(
                store
                    .last_processed
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
            ));
        }
        store.last_processed = Some(until);
        for run in runs {
            store.add(run);
        }
        Ok(())
    }

    async fn insert_run(&self, run: Run) -> Result<(), StoreError> {
        self.runs.lock().expect("runs lock").add(run);
        Ok(())
    }

    async fn update_run(&self, run: &Run) -> Result<(), StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        let slot = store
            .by_id
            .get_mut(&run.id)
            .ok_or(StoreError::UnknownRun(run.id))?;
        *slot = run.clone();
        Ok(())
    }

    async fn finish_run(&self, run: &Run, retry: Option<&Run>) -> Result<(), StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        let stored = store
            .by_id
            .get_mut(&run.id)
            .ok_or(StoreError::UnknownRun(run.id))?;
        if stored.state.is_finished() {
            return Err(StoreError::Backend(format!(
                "run {} is already finished ({:?})",
                run.id, stored.state
            )));
        }
        let log = std::mem::take(&mut stored.log);
        *stored = Run { log, ..run.clone() };
        if let Some(retry) = retry {
            store.add(retry.clone());
        }
        Ok(())
    }

    async fn save_log(&self, run: &Run) -> Result<(), StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        let stored = store
            .by_id
            .get_mut(&run.id)
            .ok_or(StoreError::UnknownRun(run.id))?;
        stored.log = run.log.clone();
        Ok(())
    }

    async fn claim_queued(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Run>, StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        let MemoryRuns { queue, by_id, .. } = &mut *store;
        // The queue holds unclaimed runs in the order they were added; runs that left it
        // (skipped, deleted) are dropped as they are met, and the scan stops at `limit`, so a
        // burst of thousands is handed out without rescanning it on every claim.
        let mut out = Vec::new();
        let mut i = 0;
        while out.len() < limit && i < queue.len() {
            match by_id.get(&queue[i]) {
                Some(run) if run.state == RunState::Queued => {
                    if run.not_before <= now {
                        out.push(run.clone());
                        queue.remove(i);
                    } else {
                        i += 1;
                    }
                }
                _ => {
                    queue.remove(i);
                }
            }
        }
        out.sort_by_key(|r| r.not_before);
        Ok(out)
    }

    async fn recent_runs(&self, job_id: Uuid, limit: usize) -> Result<Vec<Run>, StoreError> {
        let store = self.runs.lock().expect("runs lock");
        let ids = store.by_job.get(&job_id).map(Vec::as_slice).unwrap_or(&[]);
        Ok(ids
            .iter()
            .rev()
            .take(limit)
            .map(|id| store.by_id[id].clone())
            .collect())
    }
}
