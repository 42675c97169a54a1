//! `/api/v1/audit`: reading the tamper-evident log, proving an entry is in it, verifying it.
//!
//! Proofs are the audit crate's self-contained documents (the entry, the path, the signed
//! checkpoint and the public key), so an auditor can check one with nothing but the proof.

use axum::Json;
use axum::extract::{Path, State};
use corral_client::wire::{AuditPage, AuditQuery, AuditVerification, ErrorBody};
use corral_model::Action;
use corral_store::VerifyOptions;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::state::AppState;

/// Audit events, oldest first, from `from` (a sequence number), or about one `subject`.
#[utoipa::path(get, path = "/api/v1/audit/events", tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    caller.require(Action::ViewAudit)?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::field("limit", "must be between 1 and 1000"));
    }
    let records = match &query.subject {
        Some(subject) => state.store.audit_records_for(subject, limit).await?,
        None => {
            state
                .store
                .audit_records(query.from.unwrap_or(0), limit)
                .await?
        }
    };
    Ok(Json(AuditPage {
        events: records.into_iter().map(|r| r.event).collect(),
        size: state.store.audit_len().await?,
    }))
}

/// The inclusion proof of one event against the newest signed checkpoint.
#[utoipa::path(get, path = "/api/v1/audit/events/{id}/proof", tag = "audit",
    params(("id" = Uuid, Path, description = "Audit event id")),
    responses(
        (status = 200, description = "A corral-audit-inclusion-proof/v1 document", body = Object),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn proof(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(Action::ViewAudit)?;
    let id =
        Uuid::parse_str(&id).map_err(|_| ApiError::not_found(format!("no audit event `{id}`")))?;
    let proof = state
        .store
        .inclusion_proof(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no audit event `{id}`")))?;
    Ok(Json(
        serde_json::to_value(proof).map_err(ApiError::internal)?,
    ))
}

/// Re-hash the whole log and check every signed head; names the first entry that was
/// altered.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = AuditVerification), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AuditVerification>> {
    caller.require(Action::VerifyAudit)?;
    Ok(Json(verify_log(&state).await?))
}

/// Re-hashes the whole log and checks every signed head, for the API and the console.
pub async fn verify_log(state: &AppState) -> ApiResult<AuditVerification> {
    let report = state.store.verify_audit(VerifyOptions::default()).await?;
    let root = serde_json::to_value(report.root)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let message = match &report.first_problem {
        None => format!(
            "the audit log is intact: {} entries, {} signed heads checked",
            report.entries, report.signatures_checked
        ),
        Some(problem) => problem.to_string(),
    };
    Ok(AuditVerification {
        ok: report.is_intact(),
        size: report.entries,
        root,
        first_bad_seq: report.first_problem.as_ref().and_then(|p| p.seq()),
        message,
        report: serde_json::to_value(&report).map_err(ApiError::internal)?,
    })
}
