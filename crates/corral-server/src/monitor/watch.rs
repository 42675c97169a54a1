//! Noticing advisory data that changed outside the API, and re-evaluating for it.
//!
//! At start and then every `advisory_watch_secs`, the task compares the advisory data's
//! generation with the one last evaluated (kept in the database, so a restart or a second
//! node does not redo the work). A different, settled generation starts a full
//! re-evaluation; data still being written is looked at again next time.

use std::time::Duration;

use tokio::sync::watch;

use super::advisory_data::{EVALUATED_GENERATION_KEY, Generation, generation};
use super::reevaluate::reevaluate_locked;
use crate::error::ApiResult;
use crate::state::AppState;

/// Re-evaluates if the advisory data changed since the last evaluation; returns whether it
/// did. `trigger` names the occasion in the summary.
pub async fn check_once(state: &AppState, trigger: &str) -> ApiResult<bool> {
    let Generation::Settled(current) = generation(state.monitor.data_dir()) else {
        return Ok(false);
    };
    if state
        .store
        .setting(EVALUATED_GENERATION_KEY)
        .await?
        .as_deref()
        == Some(current.as_str())
    {
        return Ok(false);
    }
    let _one_at_a_time = state.monitor.lock().await;
    // Another evaluation may have caught up while this one waited.
    if state
        .store
        .setting(EVALUATED_GENERATION_KEY)
        .await?
        .as_deref()
        == Some(current.as_str())
    {
        return Ok(false);
    }
    reevaluate_locked(state, trigger).await?;
    Ok(true)
}

/// Runs until `shutdown` turns true: a check at start, then one every `every`.
pub async fn run(state: AppState, every: Duration, mut shutdown: watch::Receiver<bool>) {
    let mut trigger = "start";
    loop {
        if let Err(err) = check_once(&state, trigger).await {
            tracing::warn!(error = %err.detail.message, "advisory re-evaluation failed; retrying at the next check");
        }
        trigger = "watch";
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.wait_for(|stop| *stop) => return,
        }
    }
}
