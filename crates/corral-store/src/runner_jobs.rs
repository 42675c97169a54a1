//! Job definitions of the runner.
//!
//! A job is stored as its JSON document (the same one the API and `corral jobs` exchange),
//! with its name, asset and enabled flag as columns for lookups. Creating, changing and
//! deleting a job are state changes, so they go through a [`WriteTx`] with an audit entry;
//! reading is on [`Store`]. Names are unique: a second job with a taken name is refused
//! with [`StoreError::Invalid`] naming it.
//!
//! The definition never holds secret values, only the names of secrets (see
//! `job_secrets.rs`), so storing and returning it as written is safe.

use chrono::{DateTime, Utc};
use corral_runner::records::Job;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

fn job_of(row: &AnyRow) -> Result<Job> {
    RowReader::new(row, "runner_jobs", "id").json("definition")
}

/// Whether a database error is a unique-key violation (either engine).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

impl Store {
    /// Every job, by name.
    pub async fn jobs(&self) -> Result<Vec<Job>> {
        let rows = sqlx::query("SELECT id, definition FROM runner_jobs ORDER BY name")
            .fetch_all(&self.pools.reader)
            .await?;
        rows.iter().map(job_of).collect()
    }

    pub async fn job(&self, id: Uuid) -> Result<Option<Job>> {
        let row = sqlx::query("SELECT id, definition FROM runner_jobs WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pools.reader)
            .await?;
        row.as_ref().map(job_of).transpose()
    }

    pub async fn job_by_name(&self, name: &str) -> Result<Option<Job>> {
        let row = sqlx::query("SELECT id, definition FROM runner_jobs WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pools.reader)
            .await?;
        row.as_ref().map(job_of).transpose()
    }
}

impl WriteTx<'_> {
    /// Stores a new job. The caller validates it first ([`Job::validate`]).
    pub async fn insert_job(&mut self, job: &Job, now: DateTime<Utc>) -> Result<()> {
        self.write_job(
            "INSERT INTO runner_jobs (id, name, asset_id, enabled, definition, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            job,
            now,
            "choose another name, or change that job",
        )
        .await
    }

    /// Replaces the definition of the job with `job.id`.
    pub async fn update_job(&mut self, job: &Job, now: DateTime<Utc>) -> Result<()> {
        self.write_job(
            "UPDATE runner_jobs SET name = $2, asset_id = $3, enabled = $4, definition = $5, \
             updated_at = $6 WHERE id = $1",
            job,
            now,
            "choose another name",
        )
        .await
    }

    /// Runs `sql` (an insert or update taking the job's columns as `$1`–`$6`); a name already
    /// taken is refused with `help`, a job that is not there is [`StoreError::NotFound`].
    async fn write_job(
        &mut self,
        sql: &str,
        job: &Job,
        now: DateTime<Utc>,
        help: &str,
    ) -> Result<()> {
        let done = sqlx::query(sql)
            .bind(job.id.to_string())
            .bind(&job.name)
            .bind(job.asset_id.map(|id| id.to_string()))
            .bind(i64::from(job.enabled))
            .bind(json(job))
            .bind(ts(now))
            .execute(&mut *self.tx)
            .await;
        match done {
            Err(e) if is_unique_violation(&e) => Err(StoreError::Invalid(format!(
                "a job named `{}` already exists: {help}",
                job.name
            ))),
            Err(e) => Err(e.into()),
            Ok(done) if done.rows_affected() == 0 => Err(StoreError::NotFound {
                kind: "job",
                id: job.id.to_string(),
            }),
            Ok(_) => {
                self.mark_changed();
                Ok(())
            }
        }
    }

    /// Deletes a job and its secrets. Its run history stays until retention prunes it.
    pub async fn delete_job(&mut self, id: Uuid) -> Result<()> {
        let done = sqlx::query("DELETE FROM runner_jobs WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "job",
                id: id.to_string(),
            });
        }
        sqlx::query("DELETE FROM runner_secrets WHERE job_id = $1")
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.mark_changed();
        Ok(())
    }
}
