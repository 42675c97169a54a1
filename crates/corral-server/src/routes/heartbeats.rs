//! Heartbeat checks (`/api/v1/heartbeats`) and the ping endpoints (`/ping/{check}`).
//!
//! A check watches a job that still runs elsewhere. Its id is the secret part of its ping
//! URL, so pinging needs no token: a laptop's cron line or a CI step only has to reach
//! `POST` (or `GET`) `/ping/<uuid>`, with `/start`, `/fail` or `/<exit-code>` appended as
//! healthchecks.io does. The first 10 KiB of the request body (an output tail, an error
//! message) is stored with the ping. An unknown id answers 404 and records nothing.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::ErrorBody;
use corral_model::Action;
use corral_runner::cron_schedule::CronSchedule;
use corral_runner::records::{CheckSchedule, HeartbeatCheck, Ping, PingKind};
use corral_store::AuditEntry;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// A new check: a name and when pings are expected.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCheck {
    pub name: String,
    pub schedule: CheckSchedule,
}

/// Every check with its state, by name.
#[utoipa::path(get, path = "/api/v1/heartbeats", tag = "heartbeats",
    responses((status = 200, body = Vec<Object>)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<HeartbeatCheck>>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(state.store.heartbeat_checks().await?))
}

/// Create a check; the answer's `id` goes into the ping URL.
#[utoipa::path(post, path = "/api/v1/heartbeats", tag = "heartbeats",
    request_body = Object,
    responses((status = 201, body = Object), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<NewCheck>,
) -> ApiResult<(StatusCode, Json<HeartbeatCheck>)> {
    caller.require(Action::RegisterAsset)?;
    let name = new.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::field(
            "name",
            "is required: at most 100 characters",
        ));
    }
    match &new.schedule {
        CheckSchedule::Period { period_seconds, .. } if *period_seconds == 0 => {
            return Err(ApiError::field(
                "schedule.period_seconds",
                "must be at least 1",
            ));
        }
        CheckSchedule::Cron { cron, timezone, .. } => {
            if let Err(e) = CronSchedule::parse(cron, timezone) {
                return Err(ApiError::field("schedule", e.to_string()));
            }
        }
        CheckSchedule::Period { .. } => {}
    }
    let check = HeartbeatCheck::new(Uuid::new_v4(), name, new.schedule, Utc::now());
    let mut tx = state.store.begin().await?;
    tx.insert_heartbeat_check(&check).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "heartbeat.created")
            .subject(check.id.to_string())
            .data(json!({"name": check.name, "schedule": check.schedule})),
    );
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(check)))
}

/// `/ping/{check}`: the job finished fine.
pub async fn ping(
    State(state): State<AppState>,
    Path(check): Path<String>,
    body: Bytes,
) -> Result<&'static str, ApiError> {
    receive(&state, &check, "", &body).await
}

/// `/ping/{check}/{kind}`: `start`, `fail` or an exit status.
pub async fn ping_kind(
    State(state): State<AppState>,
    Path((check, kind)): Path<(String, String)>,
    body: Bytes,
) -> Result<&'static str, ApiError> {
    receive(&state, &check, &kind, &body).await
}

async fn receive(
    state: &AppState,
    check: &str,
    suffix: &str,
    body: &[u8],
) -> Result<&'static str, ApiError> {
    let id = Uuid::parse_str(check)
        .map_err(|_| ApiError::not_found(format!("no heartbeat check `{check}`")))?;
    let kind = PingKind::from_path_suffix(suffix).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`/{suffix}` is not a ping: use /ping/<id>, /ping/<id>/start, /ping/<id>/fail or \
             /ping/<id>/<exit status 0-255>"
        ))
    })?;
    let ping = Ping {
        at: Utc::now(),
        kind,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    let Some((check, alert)) = state.store.record_heartbeat_ping(id, ping).await? else {
        return Err(ApiError::not_found(format!("no heartbeat check `{id}`")));
    };
    if let Some(alert) = alert {
        let event = alert.to_event(&check, Utc::now());
        let mut tx = state.store.begin().await?;
        state.emit(&mut tx, &event).await?;
        tx.commit().await?;
        state.wake_dispatcher();
    }
    Ok("OK")
}
