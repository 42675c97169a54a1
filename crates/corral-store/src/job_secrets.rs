//! Secrets of jobs, sealed, and the secret source the server's runner reads them from.
//!
//! `corral secrets set JOB NAME` seals the value with the master key (a fresh data key per
//! secret, see `corral-secretbox`) before it reaches the store, so the database holds only
//! ciphertexts: a dump of it, a backup or a replica reveals nothing without the key. Secrets
//! belong to one job: the job's `secrets` table (variable → secret name) is resolved among
//! that job's secrets only, so one team's job cannot read another's token by naming it.
//!
//! A secret is sealed under the name [`sealing_name`] (`<job id>/<name>`), which the
//! encryption binds as associated data: a ciphertext copied to another job's row in the
//! database does not open there.
//!
//! Nothing here ever returns a value to a caller other than the runner's
//! [`StoreSecrets::resolve_for`], which hands it to the executor for the job's environment.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use corral_runner::records::Job;
use corral_runner::secret_source::{Resolved, SecretSource};
use corral_secretbox::{MasterKey, SealedSecret};
use serde::Serialize;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// What may be shown about a job's secret: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSecretInfo {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The name a job's secret is sealed and opened under.
pub fn sealing_name(job_id: Uuid, name: &str) -> String {
    format!("{job_id}/{name}")
}

fn info_of(row: &AnyRow) -> Result<JobSecretInfo> {
    let r = RowReader::new(row, "runner_secrets", "name");
    Ok(JobSecretInfo {
        name: r.text("name")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}

impl Store {
    /// The names and dates of a job's secrets, by name.
    pub async fn job_secret_names(&self, job_id: Uuid) -> Result<Vec<JobSecretInfo>> {
        let rows = sqlx::query(
            "SELECT name, created_at, updated_at FROM runner_secrets WHERE job_id = $1 \
             ORDER BY name",
        )
        .bind(job_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(info_of).collect()
    }

    /// The sealed form of one of a job's secrets.
    async fn sealed_job_secret(&self, job_id: Uuid, name: &str) -> Result<Option<SealedSecret>> {
        let row =
            sqlx::query("SELECT name, sealed FROM runner_secrets WHERE job_id = $1 AND name = $2")
                .bind(job_id.to_string())
                .bind(name)
                .fetch_optional(&self.pools.reader)
                .await?;
        row.as_ref()
            .map(|row| RowReader::new(row, "runner_secrets", "name").json("sealed"))
            .transpose()
    }
}

impl WriteTx<'_> {
    /// Stores (or replaces) a job's secret, already sealed.
    pub async fn set_job_secret(
        &mut self,
        job_id: Uuid,
        name: &str,
        sealed: &SealedSecret,
        now: DateTime<Utc>,
    ) -> Result<()> {
        corral_secretbox::validate_secret_name(name)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query(
            "INSERT INTO runner_secrets (job_id, name, sealed, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (job_id, name) DO UPDATE SET \
             sealed = excluded.sealed, updated_at = excluded.updated_at",
        )
        .bind(job_id.to_string())
        .bind(name)
        .bind(json(sealed))
        .bind(ts(now))
        .execute(&mut *self.tx)
        .await?;
        self.mark_changed();
        Ok(())
    }

    /// Deletes a job's secret; `false` when it did not exist.
    pub async fn remove_job_secret(&mut self, job_id: Uuid, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM runner_secrets WHERE job_id = $1 AND name = $2")
            .bind(job_id.to_string())
            .bind(name)
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() > 0 {
            self.mark_changed();
        }
        Ok(done.rows_affected() > 0)
    }
}

/// The runner's secret source on a server: a job's sealed secrets from the store, opened
/// with the master key just before the run starts.
pub struct StoreSecrets {
    store: Store,
    master: MasterKey,
}

impl StoreSecrets {
    pub fn new(store: Store, master: MasterKey) -> Self {
        Self { store, master }
    }

    async fn resolve(&self, job: &Job) -> Resolved {
        let wanted = job.secret_references();
        let mut values = Vec::with_capacity(wanted.len());
        for (var, name) in &wanted {
            let sealed = self
                .store
                .sealed_job_secret(job.id, name)
                .await
                .map_err(|e| format!("secret `{name}` (for {var}) could not be read: {e}"))?
                .ok_or_else(|| {
                    format!(
                        "secret `{name}` (for {var}) is not set for job `{}`: run \
                         `corral secrets set {} {name}`",
                        job.name, job.name
                    )
                })?;
            let value = sealed
                .open(&self.master, &sealing_name(job.id, name))
                .map_err(|e| format!("{e} (needed for {var})"))?;
            values.push((var.clone(), value));
        }
        Ok(values)
    }
}

impl SecretSource for StoreSecrets {
    fn resolve_for<'a>(
        &'a self,
        job: &'a Job,
    ) -> Pin<Box<dyn Future<Output = Resolved> + Send + 'a>> {
        Box::pin(self.resolve(job))
    }
}
