//! `/api/v1/notifications`: is anyone hearing about events? Counts per target and the
//! deliveries that failed or are retrying, with their last error.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::State;
use corral_client::wire::{
    DeliveryState, DeliveryView, ErrorBody, NotificationStatus, TargetStatus,
};
use corral_model::{Action, EventKind};
use corral_store::DeliveryStatus;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::state::AppState;

/// How many recent deliveries the status looks at.
const RECENT: u32 = 2000;

fn state_of(status: DeliveryStatus) -> DeliveryState {
    match status {
        DeliveryStatus::Pending => DeliveryState::Pending,
        DeliveryStatus::Delivered => DeliveryState::Delivered,
        DeliveryStatus::Failed => DeliveryState::Failed,
    }
}

/// Delivery counts per target and the latest problems.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = NotificationStatus), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<NotificationStatus>> {
    caller.require(Action::ViewNotifications)?;
    Ok(Json(notification_status(&state).await?))
}

/// Delivery counts per configured target and the latest problems: what the API answers and
/// the console's settings page shows.
pub async fn notification_status(state: &AppState) -> ApiResult<NotificationStatus> {
    let deliveries = state.store.deliveries(None, RECENT, 0).await?;
    let mut targets: BTreeMap<String, TargetStatus> = state
        .notify
        .targets
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                TargetStatus {
                    target: t.name.clone(),
                    pending: 0,
                    delivered: 0,
                    failed: 0,
                },
            )
        })
        .collect();
    let mut problems = Vec::new();
    for d in &deliveries {
        let entry = targets
            .entry(d.target.clone())
            .or_insert_with(|| TargetStatus {
                target: d.target.clone(),
                pending: 0,
                delivered: 0,
                failed: 0,
            });
        match d.status {
            DeliveryStatus::Pending => entry.pending += 1,
            DeliveryStatus::Delivered => entry.delivered += 1,
            DeliveryStatus::Failed => entry.failed += 1,
        }
        let is_problem = d.status == DeliveryStatus::Failed
            || (d.status == DeliveryStatus::Pending && d.last_error.is_some());
        if is_problem && problems.len() < 50 {
            problems.push(d.clone());
        }
    }
    let events: HashMap<Uuid, (EventKind, String)> = if problems.is_empty() {
        HashMap::new()
    } else {
        state
            .store
            .events(RECENT, 0)
            .await?
            .into_iter()
            .map(|e| (e.id, (e.kind, e.title)))
            .collect()
    };
    let mut views = Vec::with_capacity(problems.len());
    for d in problems {
        let (kind, title) = events
            .get(&d.event_id)
            .cloned()
            .unwrap_or((EventKind::Decision, format!("event {}", d.event_id)));
        views.push(DeliveryView {
            id: d.id,
            target: d.target,
            kind,
            title,
            state: state_of(d.status),
            attempts: d.attempts,
            next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
            last_error: d.last_error,
            created_at: d.created_at,
        });
    }
    Ok(NotificationStatus {
        targets: targets.into_values().collect(),
        problems: views,
    })
}
