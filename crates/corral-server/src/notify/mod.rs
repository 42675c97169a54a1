//! Notifications: every event reaches the Slack and webhook targets configured for its kind.
//!
//! Features never call HTTP: they emit an [`corral_model::Event`], which [`fan_out`] turns
//! into one delivery per matching target, written to the store's outbox in the same
//! transaction as the change that caused it. The [`dispatcher`] then delivers in the
//! background with retries and exponential backoff, so a slow or broken receiver never
//! delays a request, and a delivery that keeps failing ends as `failed`, visible in
//! `corral notify status` and `GET /api/v1/notifications`.

pub mod backoff;
pub mod config;
pub mod dispatcher;
pub mod email;
pub mod outbox;
pub mod payload;
pub mod signing;
pub mod store_outbox;

pub use config::{NotifyConfig, TargetConfig, TargetKind};
pub use dispatcher::Dispatcher;
pub use outbox::{Delivery, Outbox, OutboxError};

use corral_model::Event;

/// The deliveries one event needs: one per target subscribed to its kind.
pub fn fan_out(config: &NotifyConfig, event: &Event) -> Vec<(String, Event)> {
    config
        .targets
        .iter()
        .filter(|t| t.wants(event.kind))
        .map(|t| (t.name.clone(), event.clone()))
        .collect()
}
