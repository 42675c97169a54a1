//! The periodic check for overdue reviews and attestations.
//!
//! Every `periodic_check_secs` the server looks for open reviews past their deadline and
//! approved assets past their attestation date, and announces each **once**: the first
//! time it is noticed, an audit entry (`review.overdue`, `attestation.overdue`) and an event
//! are written together. The audit entry is also the memory of having announced it, so a
//! restart does not announce everything again, and the log shows when the deadline was
//! noticed to have passed.

use std::time::Duration;

use chrono::{DateTime, Utc};
use corral_model::attestation::attestation_due;
use corral_model::{Event, EventKind};
use corral_store::AuditEntry;
use serde_json::json;
use tokio::sync::watch;

use crate::error::ApiResult;
use crate::state::AppState;

const SYSTEM_ACTOR: &str = "system";

/// Whether an audit entry `action` about `subject` already carries `key` = `value`.
async fn already_announced(
    state: &AppState,
    subject: &str,
    action: &str,
    key: &str,
    value: &serde_json::Value,
) -> ApiResult<bool> {
    let records = state.store.audit_records_for(subject, 10_000).await?;
    Ok(records
        .iter()
        .any(|r| r.event.action == action && r.event.data.get(key) == Some(value)))
}

/// One check at `now`; returns how many new overdue items were announced.
pub async fn check(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    let mut announced = 0;
    for review in state.store.overdue_reviews(now).await? {
        let subject = review.asset_id.to_string();
        let id = json!(review.id);
        if already_announced(state, &subject, "review.overdue", "review_id", &id).await? {
            continue;
        }
        let name = match state.store.asset(review.asset_id).await? {
            Some(a) => a.name,
            None => subject.clone(),
        };
        let mut tx = state.store.begin().await?;
        tx.audit(
            AuditEntry::new(SYSTEM_ACTOR, "review.overdue")
                .subject(subject.clone())
                .data(json!({"review_id": review.id, "due_at": review.due_at})),
        );
        let missing: Vec<_> = review.missing().iter().map(|r| r.as_str()).collect();
        let mut event = Event::new(
            EventKind::ReviewOverdue,
            format!(
                "the review of {name} is overdue (was due {})",
                review.due_at.format("%Y-%m-%d")
            ),
            format!("still needed: {} sign-off", missing.join(" and ")),
        );
        event.asset_id = Some(review.asset_id);
        event.data = json!({"review_id": review.id, "due_at": review.due_at});
        state.emit(&mut tx, &event).await?;
        tx.commit().await?;
        announced += 1;
    }
    let period = state.policy.attestation_period_days;
    for asset in state
        .store
        .assets_due_for_attestation(period, now, corral_store::assets::MAX_PAGE_SIZE)
        .await?
    {
        let Some(due) = attestation_due(&asset, period) else {
            continue;
        };
        let subject = asset.id.to_string();
        let due_value = json!(due);
        if already_announced(state, &subject, "attestation.overdue", "due_at", &due_value).await? {
            continue;
        }
        let mut tx = state.store.begin().await?;
        tx.audit(
            AuditEntry::new(SYSTEM_ACTOR, "attestation.overdue")
                .subject(subject)
                .data(json!({"due_at": due, "owner": asset.owner_email})),
        );
        let mut event = Event::new(
            EventKind::AttestationOverdue,
            format!(
                "{} needs its owner's attestation (due {})",
                asset.name,
                due.format("%Y-%m-%d")
            ),
            format!(
                "{}: confirm it is still in use with `corral attest {} --still-active`, or \
                 decommission it",
                asset.owner_email, asset.name
            ),
        );
        event.asset_id = Some(asset.id);
        event.recipients = vec![asset.owner_email.clone()];
        state.emit(&mut tx, &event).await?;
        tx.commit().await?;
        announced += 1;
    }
    if announced > 0 {
        state.wake_dispatcher();
    }
    Ok(announced)
}

/// Runs [`check`] every `every` until `shutdown` turns true.
pub async fn run(state: AppState, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        match check(&state, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "announced overdue reviews and attestations"),
            Err(err) => tracing::warn!(error = %err.detail.message, "overdue check failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
