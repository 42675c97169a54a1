//! The store's delivery table as the dispatcher's [`Outbox`].
//!
//! Claiming a delivery in the store counts the attempt and leases the row, so a second
//! dispatcher (another replica on PostgreSQL) does not send it twice while this one works on
//! it; the lease outlasts one HTTP attempt with room to spare.

use chrono::{DateTime, Duration, Utc};
use corral_store::{DeliveryOutcome, Store};
use uuid::Uuid;

use super::outbox::{Delivery, Outbox, OutboxError};

/// A [`Store`] and how long a claimed delivery stays leased.
pub struct StoreOutbox {
    pub store: Store,
    pub lease: Duration,
}

fn err(e: corral_store::StoreError) -> OutboxError {
    OutboxError(e.to_string())
}

impl Outbox for StoreOutbox {
    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<Delivery>, OutboxError> {
        let claimed = self
            .store
            .claim_due_deliveries(now, limit, self.lease)
            .await
            .map_err(err)?;
        Ok(claimed
            .into_iter()
            .map(|c| Delivery {
                id: c.delivery.id,
                target: c.delivery.target,
                event: c.event,
                // The claim already counted the attempt about to be made.
                attempts: c.delivery.attempts.saturating_sub(1),
            })
            .collect())
    }

    async fn delivered(
        &self,
        id: Uuid,
        _attempts: u32,
        at: DateTime<Utc>,
    ) -> Result<(), OutboxError> {
        self.store
            .record_delivery(id, DeliveryOutcome::Delivered, at)
            .await
            .map_err(err)
    }

    async fn attempt_failed(
        &self,
        id: Uuid,
        _attempts: u32,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), OutboxError> {
        let outcome = match retry_at {
            Some(retry_at) => DeliveryOutcome::Retry {
                error: error.to_string(),
                retry_at,
            },
            None => DeliveryOutcome::GiveUp {
                error: error.to_string(),
            },
        };
        self.store
            .record_delivery(id, outcome, Utc::now())
            .await
            .map_err(err)
    }
}
