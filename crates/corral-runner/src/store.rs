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
    /// Queued runs already handed to an engine.
    claimed: std::collections::HashSet<Uuid>,
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

    async fn claim_queued(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Run>, StoreError> {
        let mut store = self.runs.lock().expect("runs lock");
        let mut out: Vec<Run> = store
            .order
            .iter()
            .map(|id| &store.by_id[id])
            .filter(|r| r.state == RunState::Queued && r.not_before <= now)
            .filter(|r| !store.claimed.contains(&r.id))
            .take(limit)
            .cloned()
            .collect();
        out.sort_by_key(|r| r.not_before);
        for run in &out {
            store.claimed.insert(run.id);
        }
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
