//! What every handler shares: the store, the policy, the notification targets, metrics, the
//! console's session settings, the advisory monitor and the upload limits.

use std::sync::Arc;

use corral_model::{Event, PolicyConfig};
use corral_store::{Store, WriteTx};
use tokio::sync::Notify;

use crate::console::ConsoleConfig;
use crate::error::ApiResult;
use crate::metrics::Metrics;
use crate::monitor::Monitor;
use crate::notify::{NotifyConfig, fan_out};
use crate::oidc::OidcProvider;

/// Shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub policy: Arc<PolicyConfig>,
    pub notify: Arc<NotifyConfig>,
    pub metrics: Arc<Metrics>,
    /// Wakes the notification dispatcher after a commit that queued deliveries.
    pub dispatcher_waker: Arc<Notify>,
    /// Sessions, cookies and sign-in limits of the web console.
    pub console: Arc<ConsoleConfig>,
    /// The single sign-on provider, when `[server.oidc]` configures one.
    pub oidc: Option<Arc<OidcProvider>>,
    /// The advisory data and the evaluation of stored inventories against it.
    pub monitor: Arc<Monitor>,
    /// Largest scan report an upload may send, in bytes.
    pub max_scan_bytes: usize,
    /// Largest advisory upload, in bytes.
    pub max_advisory_bytes: u64,
    /// Largest job bundle, in bytes.
    pub max_bundle_bytes: usize,
}

impl AppState {
    /// Queues `event` in `tx`'s outbox, one delivery per target subscribed to its kind. The
    /// event is recorded even when no target wants it, as the history of what was announced.
    pub async fn emit(&self, tx: &mut WriteTx<'_>, event: &Event) -> ApiResult<()> {
        let targets: Vec<String> = fan_out(&self.notify, event)
            .into_iter()
            .map(|(target, _)| target)
            .collect();
        tx.enqueue_event(event, &targets);
        Ok(())
    }

    /// Tells the dispatcher to look at the outbox now rather than at its next poll. With no
    /// notification target configured no delivery was queued, so there is nothing to look
    /// at: waking it then cost every write a claim transaction that found nothing (and
    /// deliveries left from an earlier configuration are found by its regular poll).
    pub fn wake_dispatcher(&self) {
        if self.notify.targets.is_empty() {
            return;
        }
        self.dispatcher_waker.notify_one();
    }
}
