//! What the console reads to show how jobs and heartbeat checks are doing.
//!
//! A page of jobs, each with its latest runs, in two queries whatever the page holds: the
//! runs come from one query that reads the newest few of each job from the
//! `(job_id, queued_at)` index, so its cost follows the page, not the history kept. The dashboard's figures are aggregates: runs finished since an instant,
//! counted per state over the `finished_at` index, and heartbeat checks counted per stored
//! state (kept current by the monitor's periodic pass), so they cost the same with ten jobs
//! or ten thousand.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use corral_runner::records::{CheckState, Job, Run, RunState};
use sqlx::Row;
use uuid::Uuid;

use crate::columns::{RowReader, ts};
use crate::error::Result;
use crate::runner_runs::{RUN_COLUMNS, run_of};
use crate::store::Store;

/// Most jobs one page call returns.
pub const MAX_JOBS_PAGE: u32 = 500;
/// Most runs per job [`Store::latest_runs_of_jobs`] returns.
pub const MAX_RUNS_PER_JOB: u32 = 100;

fn count(row: &sqlx::any::AnyRow) -> Result<u64> {
    Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0))
}

impl Store {
    /// How many jobs are defined.
    pub async fn count_jobs(&self) -> Result<u64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM runner_jobs")
            .fetch_one(&self.pools.reader)
            .await?;
        count(&row)
    }

    /// A page of jobs, by name.
    pub async fn jobs_page(&self, limit: u32, offset: u64) -> Result<Vec<Job>> {
        let rows =
            sqlx::query("SELECT id, definition FROM runner_jobs ORDER BY name LIMIT $1 OFFSET $2")
                .bind(i64::from(limit.clamp(1, MAX_JOBS_PAGE)))
                .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                .fetch_all(&self.pools.reader)
                .await?;
        rows.iter()
            .map(|row| RowReader::new(row, "runner_jobs", "id").json("definition"))
            .collect()
    }

    /// How many runs a job has (within retention).
    pub async fn count_runs_of_job(&self, job_id: Uuid) -> Result<u64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM runner_runs WHERE job_id = $1")
            .bind(job_id.to_string())
            .fetch_one(&self.pools.reader)
            .await?;
        count(&row)
    }

    /// The newest `per_job` runs of each of `jobs` (without log lines), newest first per
    /// job. Jobs without runs are absent from the map.
    pub async fn latest_runs_of_jobs(
        &self,
        jobs: &[Uuid],
        per_job: u32,
    ) -> Result<HashMap<Uuid, Vec<Run>>> {
        let mut by_job: HashMap<Uuid, Vec<Run>> = HashMap::new();
        if jobs.is_empty() {
            return Ok(by_job);
        }
        // One index range scan per job, newest first and cut at `per_job`, glued together:
        // the cost follows the page, not the number of runs kept (a window over all of the
        // page's runs made PostgreSQL read the whole table). SQLite takes at most 500 terms
        // in one compound select, so long lists go in several queries.
        let per_job = i64::from(per_job.clamp(1, MAX_RUNS_PER_JOB));
        for chunk in jobs.chunks(100) {
            let limit = chunk.len() + 1;
            let sql = (1..=chunk.len())
                .map(|i| {
                    format!(
                        "SELECT * FROM (SELECT {RUN_COLUMNS} FROM runner_runs WHERE job_id = ${i} \
                         ORDER BY queued_at DESC, id DESC LIMIT ${limit}) AS job_{i}"
                    )
                })
                .collect::<Vec<_>>()
                .join(" UNION ALL ");
            let mut query = sqlx::query(&sql);
            for job in chunk {
                query = query.bind(job.to_string());
            }
            for row in &query.bind(per_job).fetch_all(&self.pools.reader).await? {
                let run = run_of(row)?;
                by_job.entry(run.job_id).or_default().push(run);
            }
        }
        // A compound select promises no order across its terms: newest first per job.
        for runs in by_job.values_mut() {
            runs.sort_by(|a, b| b.queued_at.cmp(&a.queued_at).then(b.id.cmp(&a.id)));
        }
        Ok(by_job)
    }

    /// The names of the assets with ids `ids` (the assets a page of jobs belongs to).
    pub async fn asset_names(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, String>> {
        let mut names = HashMap::new();
        if ids.is_empty() {
            return Ok(names);
        }
        let placeholders = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT id, name FROM assets WHERE id IN ({placeholders})");
        let mut query = sqlx::query(&sql);
        for id in ids {
            query = query.bind(id.to_string());
        }
        for row in query.fetch_all(&self.pools.reader).await? {
            let r = RowReader::new(&row, "assets", "id");
            names.insert(r.uuid("id")?, r.text("name")?);
        }
        Ok(names)
    }

    /// Runs that finished at or after `since`, counted per final state.
    pub async fn finished_runs_since(&self, since: DateTime<Utc>) -> Result<Vec<(RunState, u64)>> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM runner_runs WHERE finished_at >= $1 \
             GROUP BY state ORDER BY state",
        )
        .bind(ts(since))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "runner_runs", "state");
                Ok((r.name("state")?, count(row)?))
            })
            .collect()
    }

    /// Heartbeat checks counted per stored state.
    pub async fn heartbeat_state_counts(&self) -> Result<Vec<(CheckState, u64)>> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM heartbeat_checks GROUP BY state ORDER BY state",
        )
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "heartbeat_checks", "state");
                Ok((r.name("state")?, count(row)?))
            })
            .collect()
    }
}
