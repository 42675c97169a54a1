//! Unauthenticated endpoints for operators and tools: health, metrics, the OpenAPI
//! document; and `whoami` for a token's holder.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use corral_client::wire::{ErrorBody, Health, WhoAmI};
use utoipa::OpenApi;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::openapi::ApiDoc;
use crate::state::AppState;

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses((status = 200, body = Health), (status = 500, body = ErrorBody)))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.store.count_assets().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().as_str().into(),
    }))
}

/// Prometheus metrics (text format 0.0.4).
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<AppState>) -> ApiResult<impl IntoResponse> {
    let assets = state.store.count_assets().await? as f64;
    let audit = state.store.audit_len().await? as f64;
    let overdue = state.store.overdue_reviews(chrono::Utc::now()).await?.len() as f64;
    let mut pending = 0.0;
    let mut failed = 0.0;
    for (status, n) in state.store.delivery_counts().await? {
        match status {
            corral_store::DeliveryStatus::Pending => pending = n as f64,
            corral_store::DeliveryStatus::Failed => failed = n as f64,
            corral_store::DeliveryStatus::Delivered => {}
        }
    }
    let shared = state.store.shared_commits();
    let mut gauges = vec![
        ("corral_assets", "Registered assets.", assets),
        ("corral_audit_entries", "Entries in the audit log.", audit),
        (
            "corral_reviews_overdue",
            "Open reviews past their deadline.",
            overdue,
        ),
        (
            "corral_notifications_pending",
            "Notification deliveries waiting to be sent.",
            pending,
        ),
        (
            "corral_notifications_failed",
            "Notification deliveries that gave up.",
            failed,
        ),
    ];
    if let Some(shared) = shared {
        gauges.push((
            "corral_store_writes_committed",
            "Write transactions committed since start (SQLite).",
            shared.writes as f64,
        ));
        gauges.push((
            "corral_store_commits",
            "Database commits since start; below the writes when queued writers shared them (SQLite).",
            shared.commits as f64,
        ));
    }
    let text = state.metrics.render(&gauges);
    Ok(([(CONTENT_TYPE, "text/plain; version=0.0.4")], text))
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI document", body = Object)))]
pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// Who the presented token belongs to.
#[utoipa::path(get, path = "/api/v1/whoami", tag = "system",
    responses((status = 200, body = WhoAmI), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn whoami(caller: Caller) -> ApiResult<Json<WhoAmI>> {
    Ok(Json(WhoAmI {
        email: caller.email,
        token_name: caller.token_name,
        role: caller.role,
    }))
}

/// Any path that is not an endpoint.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; the API is described at /api/v1/openapi.json")
}
