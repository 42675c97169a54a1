//! `/api/v1/tokens`: issuing and revoking API tokens (admins).
//!
//! The token text is returned once, at issue; the store keeps its SHA-256 only. Revoking
//! takes effect on the next request. An admin cannot revoke the token they are using, so an
//! installation cannot lock itself out by accident.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::{ErrorBody, IssuedToken, TokenInfo, TokenRequest};
use corral_model::Action;
use corral_model::validation::is_valid_email;
use corral_store::{ApiToken, AuditEntry, NewToken};
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

pub fn info(token: ApiToken) -> TokenInfo {
    TokenInfo {
        id: token.id,
        name: token.name,
        email: token.email,
        role: token.role,
        created_at: token.created_at,
        expires_at: token.expires_at,
        revoked_at: token.revoked_at,
        last_used_at: token.last_used_at,
    }
}

/// Every token, revoked ones too, newest first. Never the token text.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenInfo>), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    caller.require(Action::ManageTokens)?;
    Ok(Json(
        state
            .store
            .tokens(None)
            .await?
            .into_iter()
            .map(info)
            .collect(),
    ))
}

/// Issue a token for a person and role. The answer holds the token text, shown only now.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens",
    request_body = TokenRequest,
    responses((status = 201, body = IssuedToken), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<IssuedToken>)> {
    let issued = issue_token(&state, &caller.actor(), request).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Issues a token for `actor` (an admin): checks the request, stores the token's hash with
/// its audit entry, and returns the token text, which exists only in this answer.
pub async fn issue_token(
    state: &AppState,
    actor: &Actor,
    request: TokenRequest,
) -> ApiResult<IssuedToken> {
    actor.require(Action::ManageTokens)?;
    if request.name.trim().is_empty() || request.name.len() > 100 {
        return Err(ApiError::field(
            "name",
            "is required: a label of at most 100 characters, e.g. `ci-sales`",
        ));
    }
    if !is_valid_email(&request.email) {
        return Err(ApiError::field(
            "email",
            format!(
                "must be an e-mail address such as `ana@example.com`, not `{}`",
                request.email
            ),
        ));
    }
    if request.expires_in_days == Some(0) {
        return Err(ApiError::field("expires_in_days", "must be at least 1"));
    }
    let now = Utc::now();
    let mut tx = state.store.begin().await?;
    let issued = tx
        .issue_token(
            NewToken {
                name: request.name.trim().to_string(),
                email: request.email.trim().to_string(),
                role: request.role,
                expires_at: request
                    .expires_in_days
                    .map(|d| now + chrono::Duration::days(i64::from(d))),
            },
            now,
        )
        .await?;
    tx.audit(
        AuditEntry::new(&actor.email, "token.issued")
            .subject(issued.token.id.to_string())
            .data(json!({
                "name": issued.token.name,
                "email": issued.token.email,
                "role": issued.token.role,
                "expires_at": issued.token.expires_at,
            })),
    );
    tx.commit().await?;
    Ok(IssuedToken {
        token: issued.secret.expose().to_string(),
        info: info(issued.token),
    })
}

/// Revoke a token; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = Uuid, Path, description = "Token id")),
    responses((status = 200, body = TokenInfo), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TokenInfo>> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found(format!("no token `{id}`")))?;
    Ok(Json(
        revoke_token(&state, &caller.actor(), id, Some(caller.token_id)).await?,
    ))
}

/// Revokes token `id` for `actor` (an admin), refusing `in_use`: the token the actor is
/// presenting right now, so an installation cannot lock itself out by accident.
pub async fn revoke_token(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    in_use: Option<Uuid>,
) -> ApiResult<TokenInfo> {
    actor.require(Action::ManageTokens)?;
    if in_use == Some(id) {
        return Err(
            ApiError::conflict("you cannot revoke the token you are using")
                .with_help("revoke it with another admin token"),
        );
    }
    let mut tx = state.store.begin().await?;
    tx.revoke_token(id, Utc::now()).await?;
    tx.audit(
        AuditEntry::new(&actor.email, "token.revoked")
            .subject(id.to_string())
            .data(json!({"by_token": actor.token_name})),
    );
    tx.commit().await?;
    let token = state
        .store
        .token(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no token `{id}`")))?;
    Ok(info(token))
}
