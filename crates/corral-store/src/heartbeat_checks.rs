//! Heartbeat checks and their pings.
//!
//! A check is stored as its JSON document with its state as a column (for the dashboard's
//! counts). Creating and deleting a check are audited changes ([`WriteTx`]); pings are not
//! — they are the monitored job talking, many times a day — but each ping and the state it
//! leads to are written in one transaction, with the check's row locked on PostgreSQL, so
//! two pings arriving together at two server nodes cannot lose one another's effect.
//! Each ping keeps the first 10 KiB of its body (the state machine cuts it).

use chrono::{DateTime, Utc};
use corral_runner::heartbeat::monitor::{HeartbeatAlert, truncate_body};
use corral_runner::records::{CheckState, HeartbeatCheck, Ping};
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts};
use crate::database::Backend;
use crate::error::{Result, StoreError};
use crate::runner_jobs::is_unique_violation;
use crate::store::Store;
use crate::write_tx::WriteTx;

fn check_of(row: &AnyRow) -> Result<HeartbeatCheck> {
    RowReader::new(row, "heartbeat_checks", "id").json("definition")
}

fn ping_of(row: &AnyRow) -> Result<Ping> {
    let r = RowReader::new(row, "heartbeat_pings", "id");
    Ok(Ping {
        at: r.time("at")?,
        kind: r.json("kind")?,
        body: r.text("body")?,
    })
}

impl Store {
    /// Every check, by name.
    pub async fn heartbeat_checks(&self) -> Result<Vec<HeartbeatCheck>> {
        let rows = sqlx::query("SELECT id, definition FROM heartbeat_checks ORDER BY name")
            .fetch_all(&self.pools.reader)
            .await?;
        rows.iter().map(check_of).collect()
    }

    pub async fn heartbeat_check(&self, id: Uuid) -> Result<Option<HeartbeatCheck>> {
        let row = sqlx::query("SELECT id, definition FROM heartbeat_checks WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pools.reader)
            .await?;
        row.as_ref().map(check_of).transpose()
    }

    /// A check's latest pings, newest first.
    pub async fn heartbeat_pings(&self, id: Uuid, limit: u32) -> Result<Vec<Ping>> {
        let rows = sqlx::query(
            "SELECT id, at, kind, body FROM heartbeat_pings WHERE check_id = $1 \
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(id.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(ping_of).collect()
    }

    /// Records a ping for check `id` and the state it leads to; returns the updated check
    /// and the alert its change calls for. `None` when there is no such check.
    pub async fn record_heartbeat_ping(
        &self,
        id: Uuid,
        ping: Ping,
    ) -> Result<Option<(HeartbeatCheck, Option<HeartbeatAlert>)>> {
        let lock = match self.pools.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let mut tx = self.pools.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT id, definition FROM heartbeat_checks WHERE id = $1{lock}"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(None);
        };
        let mut check = check_of(&row)?;
        let at = ping.at;
        let kind = ping.kind;
        let body = truncate_body(&ping.body);
        let alert = check.receive(ping);
        sqlx::query(
            "INSERT INTO heartbeat_pings (id, check_id, at, kind, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(id.to_string())
        .bind(ts(at))
        .bind(json(&kind))
        .bind(body)
        .execute(&mut *tx)
        .await?;
        save_check(&mut tx, &check, at).await?;
        tx.commit().await?;
        Ok(Some((check, alert)))
    }

    /// Stores a check's state after [`HeartbeatCheck::evaluate`] changed it from
    /// `previous` (the monitor's periodic pass). `false` when the stored state is no longer
    /// `previous` — a ping or another node's pass got there first — and nothing was written,
    /// so a transition (and its alert) is acted on once. Not audited: the clock moved,
    /// nobody changed anything.
    pub async fn save_heartbeat_state(
        &self,
        check: &HeartbeatCheck,
        previous: CheckState,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE heartbeat_checks SET state = $2, definition = $3, updated_at = $4 \
             WHERE id = $1 AND state = $5",
        )
        .bind(check.id.to_string())
        .bind(name_of(&check.state))
        .bind(json(check))
        .bind(ts(now))
        .bind(name_of(&previous))
        .execute(&self.pools.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

async fn save_check(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    check: &HeartbeatCheck,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE heartbeat_checks SET state = $2, definition = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(check.id.to_string())
    .bind(name_of(&check.state))
    .bind(json(check))
    .bind(ts(now))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            kind: "heartbeat check",
            id: check.id.to_string(),
        });
    }
    Ok(())
}

impl WriteTx<'_> {
    /// Creates a check. Names are unique.
    pub async fn insert_heartbeat_check(&mut self, check: &HeartbeatCheck) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO heartbeat_checks (id, name, state, definition, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(check.id.to_string())
        .bind(&check.name)
        .bind(name_of(&check.state))
        .bind(json(check))
        .bind(ts(check.created_at))
        .execute(&mut *self.tx)
        .await;
        match done {
            Err(e) if is_unique_violation(&e) => Err(StoreError::Invalid(format!(
                "a heartbeat check named `{}` already exists",
                check.name
            ))),
            Err(e) => Err(e.into()),
            Ok(_) => {
                self.mark_changed();
                Ok(())
            }
        }
    }

    /// Deletes a check and its pings.
    pub async fn delete_heartbeat_check(&mut self, id: Uuid) -> Result<()> {
        let done = sqlx::query("DELETE FROM heartbeat_checks WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "heartbeat check",
                id: id.to_string(),
            });
        }
        sqlx::query("DELETE FROM heartbeat_pings WHERE check_id = $1")
            .bind(id.to_string())
            .execute(&mut *self.tx)
            .await?;
        self.mark_changed();
        Ok(())
    }
}
