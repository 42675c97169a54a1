//! What the dispatcher needs from the store's outbox.
//!
//! The outbox is a table of deliveries (one event for one target) written in the same
//! transaction as the change that caused them, so an event is never lost between the change
//! and its notification, and never sent for a change that rolled back. The dispatcher only
//! needs three operations on it, kept behind this trait so delivery can be tested without a
//! database.

use std::future::Future;

use chrono::{DateTime, Utc};
use corral_model::Event;
use uuid::Uuid;

/// One event to deliver to one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Uuid,
    /// The `[notify]` target name.
    pub target: String,
    pub event: Event,
    /// Attempts made so far.
    pub attempts: u32,
}

/// The outbox could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("notification outbox: {0}")]
pub struct OutboxError(pub String);

pub trait Outbox: Send + Sync + 'static {
    /// Pending deliveries whose next attempt is due at `now`, oldest first, at most `limit`.
    fn due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Delivery>, OutboxError>> + Send;

    /// The delivery succeeded on attempt `attempts`.
    fn delivered(
        &self,
        id: Uuid,
        attempts: u32,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), OutboxError>> + Send;

    /// Attempt `attempts` failed with `error`; try again at `retry_at`, or never (`None`: the
    /// delivery is marked failed).
    fn attempt_failed(
        &self,
        id: Uuid,
        attempts: u32,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<(), OutboxError>> + Send;
}
