//! `/api/v1/people`: what a person owns, and handing it over when they leave.
//!
//! The hand-over plan comes from `corral_model::handover::plan_handover`; the store applies
//! it in one transaction, so either every asset has its new owner and the leaver is marked
//! as departed, or nothing changed. The answer includes the attention list: assets left
//! without a backup owner, which someone must fix by hand.

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use corral_client::wire::{AssetRef, ErrorBody, OffboardOutcome, OffboardRequest, PersonAssets};
use corral_model::handover::{HandoverPlan, plan_handover};
use corral_model::validation::{FieldError, ValidationErrors, is_valid_email};
use corral_model::{Action, Asset, Event, EventKind};
use corral_store::AuditEntry;
use serde_json::json;

use crate::auth::{Actor, Caller};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Every asset `email` owns, backs up or created, across all pages.
pub async fn involving(state: &AppState, email: &str) -> ApiResult<Vec<Asset>> {
    let mut all = Vec::new();
    let mut query = corral_store::AssetQuery {
        involving: Some(email.to_string()),
        sort: corral_store::AssetSort::Name,
        limit: corral_store::assets::MAX_PAGE_SIZE,
        ..Default::default()
    };
    loop {
        let page = state.store.list_assets(&query).await?;
        let n = page.items.len() as u64;
        all.extend(page.items);
        if n < u64::from(query.limit) || all.len() as u64 >= page.total {
            return Ok(all);
        }
        query.offset += n;
    }
}

/// What a person owns, backs up and created.
#[utoipa::path(get, path = "/api/v1/people/{email}", tag = "people",
    params(("email" = String, Path, description = "The person's e-mail")),
    responses((status = 200, body = PersonAssets)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> ApiResult<Json<PersonAssets>> {
    caller.require(Action::ViewAssets)?;
    let assets = involving(&state, &email).await?;
    let is = |a: &str| a.eq_ignore_ascii_case(&email);
    Ok(Json(PersonAssets {
        owns: assets
            .iter()
            .filter(|a| is(&a.owner_email))
            .map(AssetRef::of)
            .collect(),
        backs_up: assets
            .iter()
            .filter(|a| a.backup_owner_email.as_deref().is_some_and(is))
            .map(AssetRef::of)
            .collect(),
        created: assets
            .iter()
            .filter(|a| is(&a.creator_email))
            .map(AssetRef::of)
            .collect(),
        person: email,
    }))
}

/// Off-board a person: everything they own or back up goes to the successor. Answers the
/// changes made and what needs a person's attention.
#[utoipa::path(post, path = "/api/v1/people/offboard", tag = "people",
    request_body = OffboardRequest,
    responses((status = 200, body = OffboardOutcome), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn offboard(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<OffboardRequest>,
) -> ApiResult<Json<OffboardOutcome>> {
    Ok(Json(
        offboard_person(&state, &caller.actor(), request).await?,
    ))
}

/// The leaver and the successor of `request`, trimmed, once both are e-mail addresses of
/// two different people; otherwise every field's problem at once.
pub fn offboard_parties(request: &OffboardRequest) -> ApiResult<(String, String)> {
    let person = request.person.trim().to_string();
    let successor = request.successor.trim().to_string();
    let mut errors = Vec::new();
    for (field, value) in [("person", &person), ("successor", &successor)] {
        if !is_valid_email(value) {
            errors.push(FieldError {
                field: field.into(),
                rule: format!("must be an e-mail address such as `ana@example.com`, not `{value}`"),
            });
        }
    }
    if errors.is_empty() && person.eq_ignore_ascii_case(&successor) {
        errors.push(FieldError {
            field: "successor".into(),
            rule: "must be a different person from the one leaving".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(ValidationErrors(errors)));
    }
    Ok((person, successor))
}

/// What off-boarding `request` would change, without changing anything: the console's
/// preview, computed exactly as [`offboard_person`] computes what it applies.
pub async fn offboard_preview(
    state: &AppState,
    actor: &Actor,
    request: &OffboardRequest,
) -> ApiResult<HandoverPlan> {
    actor.require(Action::ManagePeople)?;
    let (person, successor) = offboard_parties(request)?;
    let assets = involving(state, &person).await?;
    Ok(plan_handover(&assets, &person, &successor))
}

/// Off-boards a person for `actor`: everything they own or back up goes to the successor,
/// in one transaction with its audit entry and notification event.
pub async fn offboard_person(
    state: &AppState,
    actor: &Actor,
    request: OffboardRequest,
) -> ApiResult<OffboardOutcome> {
    actor.require(Action::ManagePeople)?;
    let (person, successor) = offboard_parties(&request)?;
    let assets = involving(state, &person).await?;
    let plan = plan_handover(&assets, &person, &successor);
    let now = Utc::now();
    let mut tx = state.store.begin().await?;
    tx.apply_handover(&plan, &person, &successor, now).await?;
    tx.audit(
        AuditEntry::new(&actor.email, "person.offboarded")
            .subject(person.clone())
            .data(json!({
                "successor": successor,
                "changes": plan.changes,
                "attention": plan.attention,
            })),
    );
    let mut event = Event::new(
        EventKind::Handover,
        format!(
            "{person} left: {} asset(s) handed over to {successor}",
            plan.changes
                .iter()
                .map(|c| c.asset_id)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        ),
        plan.attention
            .iter()
            .map(|a| format!("{} {}", a.asset_name, a.reason))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    event.recipients = vec![successor.clone()];
    event.data = json!({"person": person, "successor": successor, "attention": plan.attention});
    state.emit(&mut tx, &event).await?;
    tx.commit().await?;
    state.wake_dispatcher();
    Ok(OffboardOutcome {
        person,
        successor,
        plan,
    })
}
