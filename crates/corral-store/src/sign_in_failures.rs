//! Failed console sign-ins, counted for rate limiting.
//!
//! Each failure is one row per thing it counts against: the account that was tried
//! (`account:ana@example.com`) and the client address it came from (`client:10.0.0.7`). The
//! server asks how many failures a key had since the start of its window and refuses further
//! attempts once the limit is reached, until the oldest failure in the window ages out.
//! Keeping them in the database, rather than in one process's memory, makes the limit hold
//! across restarts and across servers sharing a PostgreSQL database.
//!
//! These rows are bookkeeping, not state changes: written without an audit entry (a flood
//! of wrong passwords must not be able to grow the audit log), and pruned once older than
//! the window.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::columns::{parse_ts, ts};
use crate::error::{Result, StoreError};
use crate::store::Store;

/// Failures of one key within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureCount {
    pub count: u64,
    /// The oldest failure still in the window: attempts are allowed again when it leaves.
    pub oldest: Option<DateTime<Utc>>,
}

impl Store {
    /// Failures recorded for `scope_key` at or after `since`.
    pub async fn sign_in_failures(
        &self,
        scope_key: &str,
        since: DateTime<Utc>,
    ) -> Result<FailureCount> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM console_sign_in_failures \
             WHERE scope_key = $1 AND at >= $2",
        )
        .bind(scope_key)
        .bind(ts(since))
        .fetch_one(&self.pools.reader)
        .await?;
        let oldest = row
            .try_get::<Option<String>, _>("oldest")?
            .map(|t| {
                parse_ts(&t).map_err(|e| StoreError::Corrupt {
                    table: "console_sign_in_failures",
                    column: "at",
                    id: scope_key.to_string(),
                    reason: e.to_string(),
                })
            })
            .transpose()?;
        Ok(FailureCount {
            count: u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0),
            oldest,
        })
    }

    /// Records one failure at `now` against each of `scope_keys`, and forgets their failures
    /// from before `forget_before`.
    pub async fn record_sign_in_failure(
        &self,
        scope_keys: &[String],
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<()> {
        for key in scope_keys {
            sqlx::query("DELETE FROM console_sign_in_failures WHERE scope_key = $1 AND at < $2")
                .bind(key)
                .bind(ts(forget_before))
                .execute(&self.pools.writer)
                .await?;
            sqlx::query("INSERT INTO console_sign_in_failures (scope_key, at) VALUES ($1, $2)")
                .bind(key)
                .bind(ts(now))
                .execute(&self.pools.writer)
                .await?;
        }
        Ok(())
    }

    /// Forgets every failure of `scope_key` (after a successful sign-in to that account).
    pub async fn clear_sign_in_failures(&self, scope_key: &str) -> Result<()> {
        sqlx::query("DELETE FROM console_sign_in_failures WHERE scope_key = $1")
            .bind(scope_key)
            .execute(&self.pools.writer)
            .await?;
        Ok(())
    }
}
