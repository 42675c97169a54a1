//! The notification outbox: events waiting to be delivered, and how each delivery went.
//!
//! Features never call Slack or a webhook themselves. They add an [`Event`] and the targets
//! that should hear about it to the outbox, in the same transaction as the change it reports
//! ([`WriteTx::enqueue_event`]), so an event exists exactly when its change does. The
//! server's dispatcher then:
//!
//! 1. claims due deliveries with [`Store::claim_due_deliveries`], which counts an attempt and
//!    pushes the delivery's `next_attempt_at` forward by a lease, so a crashed dispatcher's
//!    claims become due again by themselves and two dispatchers never hold the same delivery
//!    (on PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several processes claim side by side);
//! 2. delivers, and records the result with [`Store::record_delivery`]: delivered; failed
//!    with a retry time; or failed for good.
//!
//! Errors are stored as given, cut to [`MAX_ERROR_CHARS`]; the dispatcher must not put
//! secrets (webhook URLs with tokens, response bodies) in them. Outbox bookkeeping is not a
//! state change of the registry, so it is not audited.

use chrono::{DateTime, Duration, Utc};
use corral_model::Event;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::columns::{RowReader, json, name_of, ts, value_rows};
use crate::database::Backend;
use crate::deferred_inserts::{DeferredInsert, Value};
use crate::error::{Result, StoreError};
use crate::store::Store;
use crate::write_tx::WriteTx;

/// Longest stored error message, in characters.
pub const MAX_ERROR_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    Delivered,
    /// Given up on.
    Failed,
}

/// One event's delivery to one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: Uuid,
    pub event_id: Uuid,
    /// The configured target's name, e.g. `slack-security` or `webhook:ops`.
    pub target: String,
    pub status: DeliveryStatus,
    /// Attempts started so far (a claim counts as one).
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A claimed delivery with the event to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    pub delivery: Delivery,
    pub event: Event,
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Failed; try again at `retry_at`.
    Retry {
        error: String,
        retry_at: DateTime<Utc>,
    },
    /// Failed; do not try again.
    GiveUp {
        error: String,
    },
}

const DELIVERY_COLUMNS: &str = "id, event_id, target, status, attempts, next_attempt_at, \
    last_attempt_at, last_error, delivered_at, created_at";

fn delivery_of(row: &AnyRow) -> Result<Delivery> {
    let r = RowReader::new(row, "deliveries", "id");
    Ok(Delivery {
        id: r.uuid("id")?,
        event_id: r.uuid("event_id")?,
        target: r.text("target")?,
        status: r.name("status")?,
        attempts: u32::try_from(r.int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: r.time("next_attempt_at")?,
        last_attempt_at: r.time_opt("last_attempt_at")?,
        last_error: r.text_opt("last_error")?,
        delivered_at: r.time_opt("delivered_at")?,
        created_at: r.time("created_at")?,
    })
}

fn cut(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

impl Store {
    /// Claims up to `limit` deliveries due at `now`, oldest first, for `lease`: they are not
    /// handed out again until `now + lease` unless their result is recorded.
    pub async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> Result<Vec<ClaimedDelivery>> {
        let skip_locked = match self.pools.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let mut tx = self.pools.begin_write().await?;
        let rows = sqlx::query(&format!(
            "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = $1, \
             next_attempt_at = $2 WHERE id IN (SELECT id FROM deliveries WHERE status = \
             'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3\
             {skip_locked}) RETURNING {DELIVERY_COLUMNS}"
        ))
        .bind(ts(now))
        .bind(ts(now + lease))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let delivery = delivery_of(row)?;
            let event_row = sqlx::query("SELECT id, payload FROM events WHERE id = $1")
                .bind(delivery.event_id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            let event: Event = RowReader::new(&event_row, "events", "id").json("payload")?;
            claimed.push(ClaimedDelivery { delivery, event });
        }
        tx.commit().await?;
        claimed.sort_by(|a, b| {
            (a.delivery.created_at, a.delivery.id).cmp(&(b.delivery.created_at, b.delivery.id))
        });
        Ok(claimed)
    }

    /// Records how an attempt at delivery `id` went.
    pub async fn record_delivery(
        &self,
        id: Uuid,
        outcome: DeliveryOutcome,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let query = match &outcome {
            DeliveryOutcome::Delivered => sqlx::query(
                "UPDATE deliveries SET status = 'delivered', delivered_at = $2, \
                 last_error = NULL WHERE id = $1",
            )
            .bind(id.to_string())
            .bind(ts(now)),
            DeliveryOutcome::Retry { error, retry_at } => sqlx::query(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = $2, \
                 last_error = $3 WHERE id = $1",
            )
            .bind(id.to_string())
            .bind(ts(*retry_at))
            .bind(cut(error)),
            DeliveryOutcome::GiveUp { error } => sqlx::query(
                "UPDATE deliveries SET status = 'failed', last_error = $2 WHERE id = $1",
            )
            .bind(id.to_string())
            .bind(cut(error)),
        };
        let done = query.execute(&self.pools.writer).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "delivery",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Deliveries, newest first; only those with `status` when given.
    pub async fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<Delivery>> {
        let limit = i64::from(limit);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows = match status {
            Some(status) => {
                sqlx::query(&format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE status = $3 \
                     ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
                ))
                .bind(limit)
                .bind(offset)
                .bind(name_of(&status))
                .fetch_all(&self.pools.reader)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries ORDER BY created_at DESC, id \
                     LIMIT $1 OFFSET $2"
                ))
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pools.reader)
                .await?
            }
        };
        rows.iter().map(delivery_of).collect()
    }

    /// The deliveries of one event.
    pub async fn deliveries_for_event(&self, event_id: Uuid) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE event_id = $1 ORDER BY target"
        ))
        .bind(event_id.to_string())
        .fetch_all(&self.pools.reader)
        .await?;
        rows.iter().map(delivery_of).collect()
    }

    /// Recent events, newest first.
    pub async fn events(&self, limit: u32, offset: u64) -> Result<Vec<Event>> {
        let rows =
            sqlx::query("SELECT id, payload FROM events ORDER BY at DESC, id LIMIT $1 OFFSET $2")
                .bind(i64::from(limit))
                .bind(i64::try_from(offset).unwrap_or(i64::MAX))
                .fetch_all(&self.pools.reader)
                .await?;
        rows.iter()
            .map(|row| RowReader::new(row, "events", "id").json("payload"))
            .collect()
    }

    /// How many deliveries are in each status.
    pub async fn delivery_counts(&self) -> Result<Vec<(DeliveryStatus, u64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")
            .fetch_all(&self.pools.reader)
            .await?;
        rows.iter()
            .map(|row| {
                let r = RowReader::new(row, "deliveries", "status");
                Ok((
                    r.name("status")?,
                    u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0),
                ))
            })
            .collect()
    }
}

impl WriteTx<'_> {
    /// Adds `event` to the outbox with one pending delivery per target, due at once. Stored
    /// when the transaction commits, with the change it reports (or not at all).
    pub fn enqueue_event(&mut self, event: &Event, targets: &[String]) {
        let mut seen = std::collections::HashSet::new();
        let targets = targets
            .iter()
            .filter(|t| seen.insert(t.as_str()))
            .cloned()
            .collect();
        self.events.push((event.clone(), targets));
    }
}

/// The rows of the events a transaction enqueued and of their deliveries, for PostgreSQL,
/// which writes them in the statement of the audit append (see `deferred_inserts.rs`). The
/// same values as [`store_events`] writes.
pub(crate) fn deferred_events(events: &[(Event, Vec<String>)]) -> [DeferredInsert; 2] {
    let event_rows = events
        .iter()
        .map(|(event, _)| {
            vec![
                Value::Text(event.id.to_string()),
                Value::Text(name_of(&event.kind)),
                Value::Text(ts(event.at)),
                Value::OptText(event.asset_id.map(|u| u.to_string())),
                Value::Text(json(event)),
            ]
        })
        .collect();
    let delivery_rows = events
        .iter()
        .flat_map(|(event, targets)| targets.iter().map(move |t| (event, t)))
        .map(|(event, target)| {
            vec![
                Value::Text(Uuid::now_v7().to_string()),
                Value::Text(event.id.to_string()),
                Value::Text(target.clone()),
                Value::Text(name_of(&DeliveryStatus::Pending)),
                Value::Int(0),
                Value::Text(ts(event.at)),
                Value::Text(ts(event.at)),
            ]
        })
        .collect();
    [
        DeferredInsert {
            table: "events",
            columns: "id, kind, at, asset_id, payload",
            rows: event_rows,
        },
        DeferredInsert {
            table: "deliveries",
            columns: "id, event_id, target, status, attempts, next_attempt_at, created_at",
            rows: delivery_rows,
        },
    ]
}

/// Inserts the events a transaction enqueued, and their deliveries: one statement for the
/// events and one for the deliveries rather than one per row, since every write statement is a
/// round trip while the transaction holds the writer.
pub(crate) async fn store_events(
    conn: &mut sqlx::AnyConnection,
    events: &[(Event, Vec<String>)],
) -> Result<()> {
    /// Rows per statement, well under both engines' limits on bound values.
    const ROWS: usize = 500;
    for chunk in events.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO events (id, kind, at, asset_id, payload) VALUES {}",
            value_rows(chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for (event, _) in chunk {
            query = query
                .bind(event.id.to_string())
                .bind(name_of(&event.kind))
                .bind(ts(event.at))
                .bind(event.asset_id.map(|u| u.to_string()))
                .bind(json(event));
        }
        query.execute(&mut *conn).await?;
    }
    let deliveries: Vec<(&Event, &String)> = events
        .iter()
        .flat_map(|(event, targets)| targets.iter().map(move |t| (event, t)))
        .collect();
    for chunk in deliveries.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO deliveries (id, event_id, target, status, attempts, next_attempt_at, \
             created_at) VALUES {}",
            value_rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (event, target) in chunk {
            query = query
                .bind(Uuid::now_v7().to_string())
                .bind(event.id.to_string())
                .bind(target.as_str())
                .bind(name_of(&DeliveryStatus::Pending))
                .bind(0_i64)
                .bind(ts(event.at))
                .bind(ts(event.at));
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
