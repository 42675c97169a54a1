//! The runner's runs in the database, shared by every runner node.
//!
//! [`RunnerStore`] is the store the engine works on when it runs inside `corral serve` or
//! `corral runner`: it implements the runner's [`JobStore`] and [`RunStore`] over the
//! tables of migration 4 (and the source commit column of migration 7), for one node. Any number of nodes may share a PostgreSQL database
//! (or processes a SQLite file); what keeps them from running a slot twice or losing one:
//!
//! - **Windows.** [`RunStore::commit_window`] moves `runner_state.last_processed` from the
//!   value the node read to its new instant and inserts that window's runs in one
//!   transaction, holding the row lock (`FOR UPDATE`; SQLite's write lock) — a node that
//!   read a stale value is refused and schedules nothing. The unique key on (job, slot,
//!   attempt) would refuse a second run of a slot even if this logic were wrong.
//! - **Claims.** [`RunStore::claim_queued`] hands a queued run to one node by writing the
//!   node's name and a lease end into it; on PostgreSQL the candidates are locked with
//!   `FOR UPDATE SKIP LOCKED`, so nodes claiming at the same moment take different runs
//!   instead of waiting for each other. A run whose claim lapsed before it started (its
//!   node died) is simply claimable again.
//! - **Leases.** A node renews the leases of the runs it holds on every tick. A *running*
//!   run whose lease lapsed belonged to a node that died mid-run: [`RunStore::reap_lost`]
//!   marks it failed, saying so, and stores its retry in the same transaction. Updates of a
//!   run are accepted only from the node holding it and only while it is unfinished, so a
//!   node that wakes up after its run was taken over cannot overwrite the verdict.
//!
//! Leases are measured on the engine's clock, which all nodes share (real time in
//! production; the same sped-up clock in the multi-node test).
//!
//! Logs (already masked by the executor) live in `runner_run_logs`; lists of runs carry the
//! log's size but not its lines. Retention deletes finished runs, their logs and heartbeat
//! pings older than a cut-off ([`Store::prune_runner_history`]).

use chrono::{DateTime, Duration, Utc};
use corral_runner::records::{Job, LogLine, Run, RunLog, RunState};
use corral_runner::store::{JobStore, RunStore, StoreError as RunnerError};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts, ts_opt};
use crate::database::Backend;
use crate::error::{Result, StoreError};
use crate::store::Store;

/// How long a claim lasts without renewal, by default.
pub const DEFAULT_LEASE: Duration = Duration::seconds(30);

/// Runs inserted per statement.
const INSERT_BATCH: usize = 100;

/// Lost runs handled per reaping transaction.
const REAP_BATCH: i64 = 500;

pub(crate) const RUN_COLUMNS: &str = "id, job_id, job_name, trigger_kind, slot_at, attempt, retry_of, \
    state, queued_at, not_before, started_at, finished_at, exit_code, signal, sandbox, note, \
    log_bytes, log_truncated, lease_owner, lease_until, source_commit";

/// Placeholders per inserted run (the columns above).
const RUN_PARAMS: usize = 21;

pub(crate) fn run_of(row: &AnyRow) -> Result<Run> {
    let r = RowReader::new(row, "runner_runs", "id");
    let int_opt = |column: &'static str| -> Result<Option<i32>> {
        row.try_get::<Option<i64>, _>(column)
            .map(|v| v.map(|n| n as i32))
            .map_err(|e| r.corrupt(column, e))
    };
    Ok(Run {
        id: r.uuid("id")?,
        job_id: r.uuid("job_id")?,
        job_name: r.text("job_name")?,
        trigger: r.name("trigger_kind")?,
        slot: r.time_opt("slot_at")?,
        attempt: u32::try_from(r.int("attempt")?).map_err(|e| r.corrupt("attempt", e))?,
        retry_of: r.uuid_opt("retry_of")?,
        state: r.name("state")?,
        queued_at: r.time("queued_at")?,
        not_before: r.time("not_before")?,
        started_at: r.time_opt("started_at")?,
        finished_at: r.time_opt("finished_at")?,
        exit_code: int_opt("exit_code")?,
        signal: int_opt("signal")?,
        sandbox: r.json_opt("sandbox")?,
        note: r.text_opt("note")?,
        source_commit: r.text_opt("source_commit")?,
        log: RunLog {
            lines: Vec::new(),
            total_bytes: u64::try_from(r.int("log_bytes")?).unwrap_or(0),
            truncated: r.int("log_truncated")? != 0,
        },
    })
}

use sqlx::Row;

/// Inserts `runs` (and the logs of those that have lines), skipping any whose (job, slot,
/// attempt) is already taken. Returns how many were inserted.
async fn insert_runs(tx: &mut Transaction<'static, Any>, runs: &[Run]) -> Result<u64> {
    let mut inserted = 0;
    for batch in runs.chunks(INSERT_BATCH) {
        let mut sql = format!("INSERT INTO runner_runs ({RUN_COLUMNS}) VALUES ");
        for i in 0..batch.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            let base = i * RUN_PARAMS;
            sql.push('(');
            for c in 1..=RUN_PARAMS {
                if c > 1 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", base + c));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (job_id, slot_at, attempt) DO NOTHING");
        let mut query = sqlx::query(&sql);
        for run in batch {
            query = query
                .bind(run.id.to_string())
                .bind(run.job_id.to_string())
                .bind(run.job_name.clone())
                .bind(name_of(&run.trigger))
                .bind(ts_opt(run.slot))
                .bind(i64::from(run.attempt))
                .bind(run.retry_of.map(|id| id.to_string()))
                .bind(name_of(&run.state))
                .bind(ts(run.queued_at))
                .bind(ts(run.not_before))
                .bind(ts_opt(run.started_at))
                .bind(ts_opt(run.finished_at))
                .bind(run.exit_code.map(i64::from))
                .bind(run.signal.map(i64::from))
                .bind(run.sandbox.as_ref().map(json))
                .bind(run.note.clone())
                .bind(i64::try_from(run.log.total_bytes).unwrap_or(i64::MAX))
                .bind(i64::from(run.log.truncated))
                .bind(None::<String>)
                .bind(None::<String>)
                .bind(run.source_commit.clone());
        }
        inserted += query.execute(&mut **tx).await?.rows_affected();
    }
    for run in runs.iter().filter(|r| !r.log.lines.is_empty()) {
        save_log(tx, run.id, &run.log.lines).await?;
    }
    Ok(inserted)
}

async fn save_log(tx: &mut Transaction<'static, Any>, run: Uuid, lines: &[LogLine]) -> Result<()> {
    sqlx::query(
        "INSERT INTO runner_run_logs (run_id, lines) VALUES ($1, $2) \
         ON CONFLICT (run_id) DO UPDATE SET lines = excluded.lines",
    )
    .bind(run.to_string())
    .bind(json(lines))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A job's runs, newest first, without log lines.
    pub async fn runs_of_job(&self, job_id: Uuid, limit: u32, offset: u64) -> Result<Vec<Run>> {
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runner_runs WHERE job_id = $1 \
             ORDER BY queued_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(job_id.to_string())
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(run_of).collect()
    }

    /// Every run whose slot lies in `[from, to)`, oldest slot first, without log lines.
    pub async fn runs_with_slots_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Run>> {
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runner_runs WHERE slot_at >= $1 AND slot_at < $2 \
             ORDER BY slot_at, job_id, attempt"
        ))
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(run_of).collect()
    }

    /// Queues a run (a manual trigger from the API); a node picks it up at its next tick.
    pub async fn queue_run(&self, run: &Run) -> Result<()> {
        let mut tx = self.pools.begin_write().await?;
        insert_runs(&mut tx, std::slice::from_ref(run)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One run with its log.
    pub async fn run_with_log(&self, id: Uuid) -> Result<Option<Run>> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runner_runs WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pools.reader)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut run = run_of(&row)?;
        let log = sqlx::query("SELECT run_id, lines FROM runner_run_logs WHERE run_id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pools.reader)
            .await?;
        if let Some(log) = log {
            run.log.lines = RowReader::new(&log, "runner_run_logs", "run_id").json("lines")?;
        }
        Ok(Some(run))
    }

    /// The node holding a run's claim, if any (for history and tests).
    pub async fn run_lease_owner(&self, id: Uuid) -> Result<Option<String>> {
        let row = sqlx::query("SELECT id, lease_owner FROM runner_runs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pools.reader)
            .await?;
        Ok(match row {
            Some(row) => RowReader::new(&row, "runner_runs", "id").text_opt("lease_owner")?,
            None => None,
        })
    }

    /// Deletes finished runs (with their logs) and heartbeat pings older than `before`;
    /// returns (runs, pings) deleted. Queued and running runs are never pruned.
    pub async fn prune_runner_history(&self, before: DateTime<Utc>) -> Result<(u64, u64)> {
        let mut tx = self.pools.begin_write().await?;
        sqlx::query(
            "DELETE FROM runner_run_logs WHERE run_id IN (SELECT id FROM runner_runs \
             WHERE finished_at IS NOT NULL AND finished_at < $1)",
        )
        .bind(ts(before))
        .execute(&mut *tx)
        .await?;
        let runs = sqlx::query(
            "DELETE FROM runner_runs WHERE finished_at IS NOT NULL AND finished_at < $1",
        )
        .bind(ts(before))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let pings = sqlx::query("DELETE FROM heartbeat_pings WHERE at < $1")
            .bind(ts(before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok((runs, pings))
    }
}

/// The database as one runner node sees it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RunnerStore {
    store: Store,
    node: String,
    lease: Duration,
}

/// A name for this process among runner nodes: host, process id and a random suffix, so a
/// restarted process never mistakes its predecessor's claims for its own.
pub fn default_node_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".into());
    let suffix = Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &suffix[..8])
}

fn backend_error(e: StoreError) -> RunnerError {
    RunnerError::Backend(e.to_string())
}

impl RunnerStore {
    /// The store for node `node`, whose claims last `lease` unless renewed.
    pub fn new(store: Store, node: impl Into<String>, lease: Duration) -> Self {
        Self {
            store,
            node: node.into(),
            lease,
        }
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn skip_locked(&self) -> &'static str {
        match self.store.pools.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }

    async fn begin(&self) -> Result<Transaction<'static, Any>> {
        Ok(self.store.pools.begin_write().await?)
    }

    async fn commit_window_sql(
        &self,
        expected: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        runs: Vec<Run>,
    ) -> Result<Option<String>> {
        let lock = match self.store.pools.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let mut tx = self.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT id, last_processed FROM runner_state WHERE id = 1{lock}"
        ))
        .fetch_one(&mut *tx)
        .await?;
        let current = RowReader::new(&row, "runner_state", "id").time_opt("last_processed")?;
        if current != expected.map(|t| crate::columns::parse_ts(&ts(t)).unwrap_or(t)) {
            tx.rollback().await?;
            return Ok(Some(current.map(ts).unwrap_or_default()));
        }
        sqlx::query("UPDATE runner_state SET last_processed = $1 WHERE id = 1")
            .bind(ts(until))
            .execute(&mut *tx)
            .await?;
        insert_runs(&mut tx, &runs).await?;
        tx.commit().await?;
        Ok(None)
    }

    async fn update_run_sql(&self, run: &Run) -> Result<()> {
        let release = if run.state.is_finished() {
            ", lease_until = NULL"
        } else {
            ""
        };
        let mut tx = self.begin().await?;
        let done = sqlx::query(&format!(
            "UPDATE runner_runs SET state = $3, started_at = $4, finished_at = $5, \
             exit_code = $6, signal = $7, sandbox = $8, note = $9, log_bytes = $10, \
             log_truncated = $11, source_commit = $12{release} WHERE id = $1 AND state IN ('queued', 'running') \
             AND (lease_owner IS NULL OR lease_owner = $2)"
        ))
        .bind(run.id.to_string())
        .bind(&self.node)
        .bind(name_of(&run.state))
        .bind(ts_opt(run.started_at))
        .bind(ts_opt(run.finished_at))
        .bind(run.exit_code.map(i64::from))
        .bind(run.signal.map(i64::from))
        .bind(run.sandbox.as_ref().map(json))
        .bind(run.note.clone())
        .bind(i64::try_from(run.log.total_bytes).unwrap_or(i64::MAX))
        .bind(i64::from(run.log.truncated))
        .bind(run.source_commit.clone())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(self.refusal(run.id).await);
        }
        if !run.log.lines.is_empty() {
            save_log(&mut tx, run.id, &run.log.lines).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Why an update of run `id` changed nothing: it does not exist, or it is no longer
    /// this node's (finished, or failed over after this node's lease lapsed).
    async fn refusal(&self, id: Uuid) -> StoreError {
        let row = match sqlx::query("SELECT id, state, lease_owner FROM runner_runs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.store.pools.writer)
            .await
        {
            Ok(row) => row,
            Err(e) => return e.into(),
        };
        let Some(row) = row else {
            return StoreError::NotFound {
                kind: "run",
                id: id.to_string(),
            };
        };
        let r = RowReader::new(&row, "runner_runs", "id");
        let (state, owner) = match (r.name::<RunState>("state"), r.text_opt("lease_owner")) {
            (Ok(state), Ok(owner)) => (state, owner.unwrap_or_default()),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        StoreError::Invalid(format!(
            "run {id} is no longer this node's to update: it is {} (held by `{owner}`), \
             probably because this node's lease lapsed and another node took it over",
            name_of(&state)
        ))
    }

    /// The outcome of a run this node executed, in one statement (the retry, when there is
    /// one, in the same transaction). See [`RunStore::finish_run`].
    async fn finish_run_sql(&self, run: &Run, retry: Option<&Run>) -> Result<()> {
        let sql = "UPDATE runner_runs SET state = $3, started_at = $4, finished_at = $5, \
             exit_code = $6, signal = $7, sandbox = $8, note = $9, source_commit = $10, \
             lease_until = NULL WHERE id = $1 AND state IN ('queued', 'running') \
             AND (lease_owner IS NULL OR lease_owner = $2)";
        let query = sqlx::query(sql)
            .bind(run.id.to_string())
            .bind(&self.node)
            .bind(name_of(&run.state))
            .bind(ts_opt(run.started_at))
            .bind(ts_opt(run.finished_at))
            .bind(run.exit_code.map(i64::from))
            .bind(run.signal.map(i64::from))
            .bind(run.sandbox.as_ref().map(json))
            .bind(run.note.clone())
            .bind(run.source_commit.clone());
        let Some(retry) = retry else {
            let done = query.execute(&self.store.pools.writer).await?;
            if done.rows_affected() == 0 {
                return Err(self.refusal(run.id).await);
            }
            return Ok(());
        };
        let mut tx = self.begin().await?;
        if query.execute(&mut *tx).await?.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(self.refusal(run.id).await);
        }
        insert_runs(&mut tx, std::slice::from_ref(retry)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The log of a run this node finished: its size, and its lines when it has any.
    async fn save_log_sql(&self, run: &Run) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE runner_runs SET log_bytes = $3, log_truncated = $4 WHERE id = $1 \
             AND (lease_owner IS NULL OR lease_owner = $2)",
        )
        .bind(run.id.to_string())
        .bind(&self.node)
        .bind(i64::try_from(run.log.total_bytes).unwrap_or(i64::MAX))
        .bind(i64::from(run.log.truncated))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(self.refusal(run.id).await);
        }
        if !run.log.lines.is_empty() {
            save_log(&mut tx, run.id, &run.log.lines).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn claim_sql(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Run>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&format!(
            "UPDATE runner_runs SET lease_owner = $1, lease_until = $2 WHERE id IN (\
             SELECT id FROM runner_runs WHERE state = 'queued' AND not_before <= $3 \
             AND (lease_until IS NULL OR lease_until < $3) ORDER BY not_before, id LIMIT $4\
             {}) RETURNING {RUN_COLUMNS}",
            self.skip_locked()
        ))
        .bind(&self.node)
        .bind(ts(now + self.lease))
        .bind(ts(now))
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut runs = rows.iter().map(run_of).collect::<Result<Vec<_>>>()?;
        runs.sort_by_key(|r| (r.not_before, r.id));
        Ok(runs)
    }

    async fn renew_sql(&self, now: DateTime<Utc>, runs: &[Uuid]) -> Result<()> {
        for batch in runs.chunks(INSERT_BATCH) {
            let placeholders: Vec<String> =
                (0..batch.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "UPDATE runner_runs SET lease_until = $1 WHERE lease_owner = $2 \
                 AND state IN ('queued', 'running') AND id IN ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(&sql)
                .bind(ts(now + self.lease))
                .bind(&self.node);
            for id in batch {
                query = query.bind(id.to_string());
            }
            query.execute(&self.store.pools.writer).await?;
        }
        Ok(())
    }

    async fn reap_sql(
        &self,
        now: DateTime<Utc>,
        retry_for: &(dyn Fn(&Run) -> Option<Run> + Send + Sync),
    ) -> Result<Vec<Run>> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runner_runs WHERE state = 'running' AND lease_until < $1 \
             ORDER BY lease_until, id LIMIT $2{}",
            self.skip_locked()
        ))
        .bind(ts(now))
        .bind(REAP_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let mut lost = Vec::with_capacity(rows.len());
        let mut retries = Vec::new();
        for row in &rows {
            let mut run = run_of(row)?;
            let r = RowReader::new(row, "runner_runs", "id");
            let owner = r.text_opt("lease_owner")?.unwrap_or_default();
            let lapsed = r.time_opt("lease_until")?.map(ts).unwrap_or_default();
            run.state = RunState::Failed;
            run.finished_at = Some(now);
            run.note = Some(format!(
                "runner node `{owner}` stopped renewing its claim (lease lapsed at {lapsed}): \
                 it died or lost the database while the run was executing; the outcome is \
                 unknown, so the run counts as failed"
            ));
            sqlx::query(
                "UPDATE runner_runs SET state = 'failed', finished_at = $2, note = $3, \
                 lease_until = NULL WHERE id = $1",
            )
            .bind(run.id.to_string())
            .bind(ts(now))
            .bind(run.note.clone())
            .execute(&mut *tx)
            .await?;
            if let Some(retry) = retry_for(&run) {
                retries.push(retry);
            }
            lost.push(run);
        }
        insert_runs(&mut tx, &retries).await?;
        tx.commit().await?;
        Ok(lost)
    }
}

impl JobStore for RunnerStore {
    async fn jobs(&self) -> Result<Vec<Job>, RunnerError> {
        self.store.jobs().await.map_err(backend_error)
    }

    async fn job(&self, id: Uuid) -> Result<Option<Job>, RunnerError> {
        self.store.job(id).await.map_err(backend_error)
    }
}

impl RunStore for RunnerStore {
    async fn last_processed(&self) -> Result<Option<DateTime<Utc>>, RunnerError> {
        let row = sqlx::query("SELECT id, last_processed FROM runner_state WHERE id = 1")
            .fetch_one(&self.store.pools.writer)
            .await
            .map_err(|e| backend_error(e.into()))?;
        RowReader::new(&row, "runner_state", "id")
            .time_opt("last_processed")
            .map_err(backend_error)
    }

    async fn commit_window(
        &self,
        expected: Option<DateTime<Utc>>,
        until: DateTime<Utc>,
        runs: Vec<Run>,
    ) -> Result<(), RunnerError> {
        match self.commit_window_sql(expected, until, runs).await {
            Ok(None) => Ok(()),
            Ok(Some(current)) => Err(RunnerError::WindowTaken(current)),
            Err(e) => Err(backend_error(e)),
        }
    }

    async fn insert_run(&self, run: Run) -> Result<(), RunnerError> {
        let mut tx = self.begin().await.map_err(backend_error)?;
        insert_runs(&mut tx, std::slice::from_ref(&run))
            .await
            .map_err(backend_error)?;
        tx.commit().await.map_err(|e| backend_error(e.into()))
    }

    async fn update_run(&self, run: &Run) -> Result<(), RunnerError> {
        match self.update_run_sql(run).await {
            Err(StoreError::NotFound { .. }) => Err(RunnerError::UnknownRun(run.id)),
            other => other.map_err(backend_error),
        }
    }

    async fn finish_run(&self, run: &Run, retry: Option<&Run>) -> Result<(), RunnerError> {
        match self.finish_run_sql(run, retry).await {
            Err(StoreError::NotFound { .. }) => Err(RunnerError::UnknownRun(run.id)),
            other => other.map_err(backend_error),
        }
    }

    async fn save_log(&self, run: &Run) -> Result<(), RunnerError> {
        match self.save_log_sql(run).await {
            Err(StoreError::NotFound { .. }) => Err(RunnerError::UnknownRun(run.id)),
            other => other.map_err(backend_error),
        }
    }

    async fn claim_queued(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Run>, RunnerError> {
        self.claim_sql(now, limit).await.map_err(backend_error)
    }

    async fn recent_runs(&self, job_id: Uuid, limit: usize) -> Result<Vec<Run>, RunnerError> {
        self.store
            .runs_of_job(job_id, u32::try_from(limit).unwrap_or(u32::MAX), 0)
            .await
            .map_err(backend_error)
    }

    async fn renew_leases(&self, now: DateTime<Utc>, runs: &[Uuid]) -> Result<(), RunnerError> {
        self.renew_sql(now, runs).await.map_err(backend_error)
    }

    async fn reap_lost(
        &self,
        now: DateTime<Utc>,
        retry_for: &(dyn Fn(&Run) -> Option<Run> + Send + Sync),
    ) -> Result<Vec<Run>, RunnerError> {
        self.reap_sql(now, retry_for).await.map_err(backend_error)
    }
}
