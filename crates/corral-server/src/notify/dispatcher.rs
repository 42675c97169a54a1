//! The background task that delivers the outbox.
//!
//! It wakes when told a new delivery was queued (or every `poll_interval_ms`), takes the due
//! deliveries, posts each to its target (or mails it, for e-mail targets) and records the
//! outcome. A 2xx answer (an accepted message) is delivered;
//! anything else (an error status, a refused connection, a timeout) schedules the next
//! attempt with exponential backoff, until `max_attempts`, after which the delivery is
//! failed. A delivery whose target was removed from the configuration fails at once with
//! that reason instead of retrying forever.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Notify, watch};

use super::backoff::delay_after;
use super::config::{NotifyConfig, TargetKind};
use super::outbox::{Delivery, Outbox};
use super::payload;
use super::signing::{SIGNATURE_HEADER, TIMESTAMP_HEADER, signature};

/// How many due deliveries one pass takes.
const BATCH: u32 = 64;

/// Delivers the outbox of `O` to the targets in a [`NotifyConfig`].
pub struct Dispatcher<O> {
    outbox: Arc<O>,
    config: Arc<NotifyConfig>,
    http: reqwest::Client,
    wake: Arc<Notify>,
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    Delivered,
    Retry(String),
    Failed(String),
}

impl<O: Outbox> Dispatcher<O> {
    pub fn new(outbox: Arc<O>, config: Arc<NotifyConfig>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(config.timeout())
            .user_agent(concat!("corral/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds with rustls");
        Self {
            outbox,
            config,
            http,
            wake: Arc::new(Notify::new()),
        }
    }

    /// A handle that wakes the dispatcher when a delivery was queued.
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let idle = std::time::Duration::from_millis(self.config.poll_interval_ms.max(10));
        loop {
            if *shutdown.borrow() {
                return;
            }
            let worked = match self.pass().await {
                Ok(n) => n > 0,
                Err(err) => {
                    tracing::warn!(%err, "notification dispatcher could not read the outbox");
                    false
                }
            };
            if worked {
                continue;
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(idle) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Delivers what is due now; returns how many deliveries were attempted.
    pub async fn pass(&self) -> Result<usize, super::OutboxError> {
        let due = self.outbox.due(Utc::now(), BATCH).await?;
        let n = due.len();
        for delivery in due {
            let attempts = delivery.attempts + 1;
            let outcome = self.attempt(&delivery, attempts).await;
            let recorded = match &outcome {
                AttemptOutcome::Delivered => {
                    tracing::debug!(id = %delivery.id, target = %delivery.target, "notification delivered");
                    self.outbox
                        .delivered(delivery.id, attempts, Utc::now())
                        .await
                }
                AttemptOutcome::Retry(error) => {
                    let wait = delay_after(
                        attempts,
                        self.config.initial_backoff(),
                        self.config.max_backoff(),
                    );
                    let retry_at = Utc::now()
                        + chrono::Duration::from_std(wait)
                            .unwrap_or_else(|_| chrono::Duration::hours(1));
                    tracing::info!(id = %delivery.id, target = %delivery.target, attempts, %error, "notification failed; will retry");
                    self.outbox
                        .attempt_failed(delivery.id, attempts, error, Some(retry_at))
                        .await
                }
                AttemptOutcome::Failed(error) => {
                    tracing::warn!(id = %delivery.id, target = %delivery.target, attempts, %error, "notification failed for good");
                    self.outbox
                        .attempt_failed(delivery.id, attempts, error, None)
                        .await
                }
            };
            recorded?;
        }
        Ok(n)
    }

    /// One HTTP attempt for `delivery`, the `attempts`-th.
    async fn attempt(&self, delivery: &Delivery, attempts: u32) -> AttemptOutcome {
        let Some(target) = self.config.target(&delivery.target) else {
            return AttemptOutcome::Failed(format!(
                "target `{}` is no longer in [notify] targets",
                delivery.target
            ));
        };
        if target.kind == TargetKind::Email {
            let error = match super::email::send(
                target,
                delivery.id,
                &delivery.event,
                self.config.timeout(),
            )
            .await
            {
                Ok(()) => return AttemptOutcome::Delivered,
                Err(error) => error,
            };
            return if attempts >= self.config.max_attempts {
                AttemptOutcome::Failed(format!("{error} (gave up after {attempts} attempts)"))
            } else {
                AttemptOutcome::Retry(error)
            };
        }
        let body = payload::body(target.kind, delivery.id, &delivery.event);
        let bytes = serde_json::to_vec(&body).expect("JSON values serialise");
        let mut request = self
            .http
            .post(&target.url)
            .header("content-type", "application/json")
            .header("x-corral-delivery", delivery.id.to_string())
            .header("x-corral-event", delivery.event.kind.as_str());
        if let Some(key) = target.signing_key() {
            let ts = Utc::now().timestamp();
            request = request
                .header(TIMESTAMP_HEADER, ts.to_string())
                .header(SIGNATURE_HEADER, signature(&key, ts, &bytes));
        }
        let error = match request.body(bytes).send().await {
            Ok(response) if response.status().is_success() => return AttemptOutcome::Delivered,
            Ok(response) => format!("HTTP {}", response.status()),
            Err(err) if err.is_timeout() => "timed out".to_string(),
            Err(err) if err.is_connect() => "connection refused or unreachable".to_string(),
            Err(err) => err.to_string(),
        };
        if attempts >= self.config.max_attempts {
            AttemptOutcome::Failed(format!("{error} (gave up after {attempts} attempts)"))
        } else {
            AttemptOutcome::Retry(error)
        }
    }
}
