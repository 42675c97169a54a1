//! Continuous dependency monitoring: every stored inventory, checked against the server's
//! advisory data whenever either changes.
//!
//! The server keeps the OSV advisory database of `corral db` in its own data directory
//! (`<data dir>/advisories/`). It learns that the data changed in two ways:
//!
//! - through the API, `POST /api/v1/advisories/import` (an OSV `all.zip` export, one record,
//!   or a JSON array of records), which imports and re-evaluates at once;
//! - by watching the database's generation ([`advisory_data::generation`]) every
//!   `advisory_watch_secs`: `corral db update` or `corral db import` run against the server's
//!   data directory (by hand, from cron, or as a scheduled Corral job) are picked up at the
//!   next look, and at start when the data changed while the server was down.
//!
//! Either way, [`reevaluate::reevaluate_all`] runs the dependency scanner's own advisory
//! checks (`corral_deps::advisory_check`) over every stored inventory that holds a package
//! with advisories, or that had a match before; an uploaded scan's inventory is evaluated the
//! same way as it is stored ([`apply::apply_asset`] is the one place both paths change
//! matches, findings and notices). A new match opens a finding (scanner `deps`, fingerprint
//! stable per asset, package and advisory) and announces it to the asset's owners and the
//! targets subscribed to `advisory-match` events, once per (asset, advisory); a match that
//! stops (a fixed version installed, the advisory withdrawn) resolves its finding as fixed.
//!
//! One evaluation runs at a time in a process ([`Monitor::lock`]); an evaluation writing an
//! asset whose inventory was replaced after it read it leaves that asset alone, since the
//! upload that replaced it evaluated it already.

pub mod advisory_data;
pub mod apply;
pub mod expected;
pub mod reevaluate;
pub mod watch;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use corral_client::wire::EvaluationSummary;

/// The monitor's shared state: where the advisory data lives, the evaluation lock, and
/// what the last full evaluation did.
#[derive(Debug)]
pub struct Monitor {
    data_dir: PathBuf,
    lock: tokio::sync::Mutex<()>,
    last: Mutex<Option<EvaluationSummary>>,
}

impl Monitor {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            lock: tokio::sync::Mutex::new(()),
            last: Mutex::new(None),
        }
    }

    /// The data directory holding `advisories/`.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Held by whoever evaluates: one evaluation at a time.
    pub async fn lock(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.lock.lock().await
    }

    /// What the last full evaluation did, if one ran since start.
    pub fn last_evaluation(&self) -> Option<EvaluationSummary> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn remember(&self, summary: &EvaluationSummary) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(summary.clone());
    }
}
