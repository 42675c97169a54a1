//! `/api/v1/assets`: registering, listing, showing and editing assets, risk overrides and
//! attestations.
//!
//! Handlers only translate HTTP: the rules come from `corral_model` (validation, policy,
//! ownership) and every change is one store transaction carrying its decision, its audit
//! entries and its notification events, so either all of it happened or none of it did.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use corral_client::wire::{
    AssetDetail, AssetOutcome, AssetPage, AssetPatch, AssetQuery, AssetRef, AssetView,
    AttestRequest, AttestationDue, ErrorBody, RiskOverrideRequest,
};
use corral_model::asset::{ApprovalState, Asset, AssetDraft, DeploymentStatus, RiskOverride};
use corral_model::attestation::{AttestationChoice, attestation_due};
use corral_model::decision::{Decision, DecisionKind, POLICY_ACTOR};
use corral_model::policy::{Evaluation, needs_reevaluation};
use corral_model::review::{Review, ReviewOutcome};
use corral_model::tier::derive_risk_tier;
use corral_model::{Action, Event, EventKind};
use corral_store::{AuditEntry, WriteTx};
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, ApiQuery};
use crate::routes::paging::Paging;
use crate::routes::reviews::review_view;
use crate::state::AppState;

/// The asset named by `key`: its id, or its name.
pub async fn resolve_asset(state: &AppState, key: &str) -> ApiResult<Asset> {
    let found = match Uuid::parse_str(key) {
        Ok(id) => state.store.asset(id).await?,
        Err(_) => state.store.asset_by_name(key).await?,
    };
    found.ok_or_else(|| ApiError::not_found(format!("no asset `{key}`")))
}

pub fn view(state: &AppState, asset: Asset) -> AssetView {
    AssetView {
        risk_tier: asset.risk_tier(),
        attestation_due_at: attestation_due(&asset, state.policy.attestation_period_days),
        asset,
    }
}

/// Applies the policy's evaluation to `asset` inside `tx`: sets its approval, records the
/// policy's decision, supersedes an open review, opens the new one, and queues the events.
/// Returns the review opened, if any.
pub async fn apply_evaluation(
    state: &AppState,
    tx: &mut WriteTx<'_>,
    asset: &mut Asset,
    evaluation: &Evaluation,
    superseded: Option<Review>,
    now: DateTime<Utc>,
) -> ApiResult<Option<Review>> {
    asset.approval = evaluation.approval;
    let superseded = match superseded {
        Some(r) => tx.review(r.id).await?.filter(Review::is_open),
        None => None,
    };
    if let Some(mut open) = superseded {
        open.outcome = Some(ReviewOutcome {
            state: ApprovalState::ChangesRequested,
            by: POLICY_ACTOR.into(),
            comment: "superseded: the asset changed and the policy was run again".into(),
            at: now,
        });
        tx.update_review(&open).await?;
        tx.audit(
            AuditEntry::new(POLICY_ACTOR, "review.superseded")
                .subject(asset.id.to_string())
                .data(json!({"review_id": open.id})),
        );
    }
    let review = evaluation.review.as_ref().map(|plan| Review {
        id: Uuid::now_v7(),
        asset_id: asset.id,
        reason: evaluation.reason.clone(),
        opened_at: now,
        due_at: plan.due_at,
        required: plan.required.clone(),
        signoffs: Vec::new(),
        outcome: None,
    });
    let kind = match evaluation.approval {
        ApprovalState::Approved => DecisionKind::Approved,
        ApprovalState::Blocked => DecisionKind::Blocked,
        ApprovalState::Rejected => DecisionKind::Rejected,
        ApprovalState::ChangesRequested => DecisionKind::ChangesRequested,
        ApprovalState::PendingReview => DecisionKind::ReviewRequested,
    };
    let comment = match &evaluation.help {
        Some(help) if evaluation.approval == ApprovalState::Blocked => {
            format!("{}; {help}", evaluation.reason)
        }
        _ => evaluation.reason.clone(),
    };
    tx.append_decision(&Decision {
        id: Uuid::now_v7(),
        asset_id: asset.id,
        review_id: review.as_ref().map(|r| r.id),
        kind,
        actor: POLICY_ACTOR.into(),
        role: None,
        comment,
        at: now,
    })
    .await?;
    let action = match kind {
        DecisionKind::ReviewRequested => "review.opened",
        DecisionKind::Blocked => "asset.blocked",
        _ => "asset.approved",
    };
    tx.audit(
        AuditEntry::new(POLICY_ACTOR, action)
            .subject(asset.id.to_string())
            .data(json!({
                "approval": evaluation.approval,
                "reason": evaluation.reason,
                "review_id": review.as_ref().map(|r| r.id),
                "due_at": review.as_ref().map(|r| r.due_at),
                "required": review.as_ref().map(|r| r.required.clone()),
            })),
    );
    if let Some(review) = &review {
        tx.open_review(review).await?;
        let mut event = Event::new(
            EventKind::ReviewRequested,
            format!(
                "{} needs a {} review by {}",
                asset.name,
                review
                    .required
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
                review.due_at.format("%Y-%m-%d")
            ),
            format!(
                "{}\nowner: {} · department: {} · data tier {}",
                evaluation.reason, asset.owner_email, asset.department, asset.data_tier
            ),
        );
        event.asset_id = Some(asset.id);
        event.recipients = vec![asset.owner_email.clone()];
        event.data = json!({"review_id": review.id, "due_at": review.due_at});
        state.emit(tx, &event).await?;
    } else {
        let mut event = Event::new(
            EventKind::Decision,
            format!("{} is {}", asset.name, evaluation.approval),
            match &evaluation.help {
                Some(help) => format!("{}\n{help}", evaluation.reason),
                None => evaluation.reason.clone(),
            },
        );
        event.asset_id = Some(asset.id);
        event.recipients = vec![asset.owner_email.clone()];
        event.data = json!({"approval": evaluation.approval, "actor": POLICY_ACTOR});
        state.emit(tx, &event).await?;
    }
    Ok(review)
}

/// Register an AI-built asset.
///
/// Tiers 1–2 are approved at once, tier 3 opens a security review, tier 4 is kept as blocked
/// with an explanation. A repository or name that is already registered answers 409 with a
/// pointer to the existing asset.
#[utoipa::path(post, path = "/api/v1/assets", tag = "assets",
    request_body = AssetDraft,
    responses(
        (status = 201, description = "Registered; see `asset.approval` and `evaluation`", body = AssetOutcome),
        (status = 409, description = "Already registered", body = ErrorBody),
        (status = 422, description = "Fields that break a rule", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(draft): ApiJson<AssetDraft>,
) -> ApiResult<(StatusCode, Json<AssetOutcome>)> {
    let outcome = register_asset(&state, &caller.actor(), draft).await?;
    Ok((StatusCode::CREATED, Json(outcome)))
}

/// Registers `draft` for `actor`: validation, the policy's decision, the store, the audit
/// entries and the notification events, for the API and the console alike. An empty
/// creator e-mail means the actor.
pub async fn register_asset(
    state: &AppState,
    actor: &Actor,
    mut draft: AssetDraft,
) -> ApiResult<AssetOutcome> {
    actor.require(Action::RegisterAsset)?;
    if draft.creator_email.trim().is_empty() {
        draft.creator_email = actor.email.clone();
    }
    let valid = draft.validate().map_err(ApiError::validation)?;
    // A name or repository already registered is refused inside the transaction, naming the
    // existing asset (StoreError::Conflict becomes the same 409 as any duplicate).
    let now = Utc::now();
    let mut asset = Asset::from_draft(valid, Uuid::now_v7(), now);
    let evaluation = state.policy.evaluate(&asset, now)?;
    asset.approval = evaluation.approval;
    let mut tx = state.store.begin().await?;
    tx.insert_asset(&asset).await?;
    tx.audit(
        AuditEntry::new(&actor.email, "asset.registered")
            .subject(asset.id.to_string())
            .data(json!({
                "name": asset.name,
                "token": actor.token_name,
                "data_tier": asset.data_tier,
                "risk_tier": asset.risk_tier(),
                "status": asset.status,
                "owner": asset.owner_email,
                "repository": asset.repository,
            })),
    );
    let mut event = Event::new(
        EventKind::Registration,
        format!("{} was registered by {}", asset.name, actor.email),
        format!(
            "{}\ndepartment: {} · data tier {} · risk {}",
            asset.purpose,
            asset.department,
            asset.data_tier,
            asset.risk_tier()
        ),
    );
    event.asset_id = Some(asset.id);
    state.emit(&mut tx, &event).await?;
    let review = apply_evaluation(state, &mut tx, &mut asset, &evaluation, None, now).await?;
    tx.commit().await?;
    state.wake_dispatcher();
    Ok(AssetOutcome {
        asset: view(state, asset),
        evaluation: Some(evaluation),
        review,
    })
}

/// List assets, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/assets", tag = "assets",
    params(AssetQuery),
    responses((status = 200, body = AssetPage), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AssetQuery>,
) -> ApiResult<Json<AssetPage>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(find_assets(&state, query).await?))
}

/// One page of the assets matching `query`, newest first: the list the API and the
/// console show. A page size or number out of range names the parameter.
pub async fn find_assets(state: &AppState, query: AssetQuery) -> ApiResult<AssetPage> {
    let paging = Paging::of(
        query.page,
        query.per_page,
        corral_store::assets::DEFAULT_PAGE_SIZE,
        corral_store::assets::MAX_PAGE_SIZE,
    )?;
    let store_query = corral_store::AssetQuery {
        data_tier: query.tier,
        status: query.status,
        approval: query.approval,
        risk_tier: query.risk,
        department: query.department.filter(|d| !d.trim().is_empty()),
        owner: None,
        involving: query.person.filter(|p| !p.trim().is_empty()),
        text: query.q.filter(|q| !q.trim().is_empty()),
        sort: corral_store::AssetSort::CreatedAt,
        descending: true,
        limit: paging.per_page,
        offset: paging.offset(),
    };
    let found = state.store.list_assets(&store_query).await?;
    Ok(AssetPage {
        items: found.items.into_iter().map(|a| view(state, a)).collect(),
        total: found.total,
        page: paging.page,
        per_page: paging.per_page,
    })
}

/// One asset, with its decisions and open review. `{asset}` is an id or a name.
#[utoipa::path(get, path = "/api/v1/assets/{asset}", tag = "assets",
    params(("asset" = String, Path, description = "Asset id or name")),
    responses((status = 200, body = AssetDetail), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<AssetDetail>> {
    caller.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    let decisions = state.store.decisions_for_asset(asset.id).await?;
    let open_review = match state.store.open_review_for_asset(asset.id).await? {
        Some(r) => Some(review_view(r, &asset.name, Utc::now())),
        None => None,
    };
    Ok(Json(AssetDetail {
        asset: view(&state, asset),
        open_review,
        decisions,
    }))
}

/// The decisions taken about one asset, oldest first.
#[utoipa::path(get, path = "/api/v1/assets/{asset}/decisions", tag = "assets",
    params(("asset" = String, Path, description = "Asset id or name")),
    responses((status = 200, body = Vec<Decision>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decisions(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<Decision>>> {
    caller.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    Ok(Json(state.store.decisions_for_asset(asset.id).await?))
}

/// The asset as it would be after `patch`, validated with the registration rules.
fn patched(before: &Asset, patch: AssetPatch) -> ApiResult<Asset> {
    let empty_is_none = |v: Option<String>, current: &Option<String>| match v {
        None => current.clone(),
        Some(s) if s.trim().is_empty() => None,
        Some(s) => Some(s),
    };
    let draft = AssetDraft {
        name: before.name.clone(),
        purpose: patch.purpose.unwrap_or_else(|| before.purpose.clone()),
        creator_email: before.creator_email.clone(),
        department: patch
            .department
            .unwrap_or_else(|| before.department.clone()),
        owner_email: Some(
            patch
                .owner_email
                .unwrap_or_else(|| before.owner_email.clone()),
        ),
        backup_owner_email: empty_is_none(patch.backup_owner_email, &before.backup_owner_email),
        data_tier: Some(patch.data_tier.unwrap_or(before.data_tier)),
        ai_tool: Some(patch.ai_tool.unwrap_or_else(|| before.ai_tool.clone())),
        status: Some(patch.status.unwrap_or(before.status)),
        repository: empty_is_none(patch.repository, &before.repository),
        systems: patch.systems.unwrap_or_else(|| before.systems.clone()),
    };
    let valid = draft.validate().map_err(ApiError::validation)?;
    let d = valid.draft();
    let mut after = before.clone();
    after.purpose = d.purpose.trim().to_string();
    after.department = d.department.clone();
    after.owner_email = d.owner_email.clone().unwrap_or_default();
    after.backup_owner_email = d.backup_owner_email.clone();
    after.data_tier = d.data_tier.unwrap_or(before.data_tier);
    after.ai_tool = d.ai_tool.clone().unwrap_or_else(|| before.ai_tool.clone());
    after.status = d.status.unwrap_or(before.status);
    after.repository = d.repository.clone();
    after.systems = d.systems.clone();
    after.derived_risk_tier = derive_risk_tier(&after.systems, after.data_tier);
    Ok(after)
}

/// Saves `after`, re-running the policy when the change calls for it (data tier, systems,
/// status or risk changed, or the asset was waiting for changes).
async fn save_change(
    state: &AppState,
    actor: &Actor,
    before: &Asset,
    mut after: Asset,
    action: &str,
    data: serde_json::Value,
) -> ApiResult<AssetOutcome> {
    let now = Utc::now();
    after.updated_at = now;
    let rerun =
        needs_reevaluation(before, &after) || before.approval == ApprovalState::ChangesRequested;
    let evaluation = if rerun {
        Some(state.policy.evaluate(&after, now)?)
    } else {
        None
    };
    let open = match &evaluation {
        Some(_) => state.store.open_review_for_asset(before.id).await?,
        None => None,
    };
    let mut tx = state.store.begin().await?;
    let current = tx
        .asset(before.id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no asset `{}`", before.id)))?;
    if current.updated_at != before.updated_at {
        return Err(ApiError::conflict(format!(
            "`{}` was changed by someone else a moment ago",
            before.name
        ))
        .with_help("load it again and repeat your change"));
    }
    let review = match &evaluation {
        Some(evaluation) => {
            apply_evaluation(state, &mut tx, &mut after, evaluation, open, now).await?
        }
        None => None,
    };
    tx.update_asset(&after).await?;
    tx.audit(
        AuditEntry::new(&actor.email, action)
            .subject(after.id.to_string())
            .data(data),
    );
    tx.commit().await?;
    state.wake_dispatcher();
    Ok(AssetOutcome {
        asset: view(state, after),
        evaluation,
        review,
    })
}

/// Edit an asset. Changing the data tier, the systems or the status runs the policy again.
#[utoipa::path(patch, path = "/api/v1/assets/{asset}", tag = "assets",
    params(("asset" = String, Path, description = "Asset id or name")),
    request_body = AssetPatch,
    responses(
        (status = 200, body = AssetOutcome),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(patch): ApiJson<AssetPatch>,
) -> ApiResult<Json<AssetOutcome>> {
    let before = resolve_asset(&state, &key).await?;
    caller.require_on_asset(&before, Action::EditOwnAsset, Action::EditAnyAsset)?;
    let changes = serde_json::to_value(&patch).unwrap_or_default();
    let after = patched(&before, patch)?;
    let data = json!({"changes": changes, "token": caller.token_name});
    Ok(Json(
        save_change(
            &state,
            &caller.actor(),
            &before,
            after,
            "asset.edited",
            data,
        )
        .await?,
    ))
}

/// Override an asset's derived risk tier, with a reason (security reviewers).
#[utoipa::path(post, path = "/api/v1/assets/{asset}/risk-override", tag = "assets",
    params(("asset" = String, Path, description = "Asset id or name")),
    request_body = RiskOverrideRequest,
    responses((status = 200, body = AssetOutcome), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn override_risk(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(request): ApiJson<RiskOverrideRequest>,
) -> ApiResult<Json<AssetOutcome>> {
    caller.require(Action::OverrideRisk)?;
    if request.reason.trim().is_empty() {
        return Err(ApiError::field(
            "reason",
            "is required: say what the derived risk tier misses",
        ));
    }
    let before = resolve_asset(&state, &key).await?;
    let mut after = before.clone();
    after.risk_override = Some(RiskOverride {
        tier: request.tier,
        reason: request.reason.trim().to_string(),
        by: caller.email.clone(),
        at: Utc::now(),
    });
    let data = json!({
        "from": before.risk_tier(),
        "to": request.tier,
        "reason": request.reason.trim(),
    });
    let mut tx_note = Decision {
        id: Uuid::now_v7(),
        asset_id: before.id,
        review_id: None,
        kind: DecisionKind::RiskOverridden,
        actor: caller.email.clone(),
        role: None,
        comment: format!(
            "risk {} → {}: {}",
            before.risk_tier(),
            request.tier,
            request.reason.trim()
        ),
        at: Utc::now(),
    };
    let outcome = save_change(
        &state,
        &caller.actor(),
        &before,
        after,
        "asset.risk-overridden",
        data,
    )
    .await?;
    // The override's own decision is recorded in a second, audited transaction so that the
    // asset's history reads "risk overridden" next to what the policy then decided.
    tx_note.at = Utc::now();
    let mut tx = state.store.begin().await?;
    tx.append_decision(&tx_note).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "decision.recorded")
            .subject(before.id.to_string())
            .data(json!({"kind": "risk-overridden", "decision_id": tx_note.id})),
    );
    tx.commit().await?;
    Ok(Json(outcome))
}

/// Attest an asset: still active, or decommission it (owners, or admins).
#[utoipa::path(post, path = "/api/v1/assets/{asset}/attestations", tag = "attestations",
    params(("asset" = String, Path, description = "Asset id or name")),
    request_body = AttestRequest,
    responses((status = 200, body = AssetOutcome), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn attest(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(request): ApiJson<AttestRequest>,
) -> ApiResult<Json<AssetOutcome>> {
    let before = resolve_asset(&state, &key).await?;
    Ok(Json(
        attest_asset(&state, &caller.actor(), &before, request).await?,
    ))
}

/// `actor` attests `before`: still active, or decommissioned (owners, or admins).
pub async fn attest_asset(
    state: &AppState,
    actor: &Actor,
    before: &Asset,
    request: AttestRequest,
) -> ApiResult<AssetOutcome> {
    actor.require_on_asset(before, Action::AttestOwnAsset, Action::AttestAnyAsset)?;
    let now = Utc::now();
    let mut after = before.clone();
    after.last_attested_at = Some(now);
    if request.choice == AttestationChoice::Decommission {
        after.status = DeploymentStatus::Decommissioned;
    }
    let data = json!({
        "choice": request.choice,
        "comment": request.comment,
        "token": actor.token_name,
    });
    save_change(state, actor, before, after, "asset.attested", data).await
}

/// Assets whose attestation is overdue, most overdue first.
#[utoipa::path(get, path = "/api/v1/attestations/overdue", tag = "attestations",
    responses((status = 200, body = Vec<AttestationDue>)),
    security(("bearer" = [])))]
pub async fn overdue_attestations(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<AttestationDue>>> {
    caller.require(Action::ViewAssets)?;
    let period = state.policy.attestation_period_days;
    let assets = state
        .store
        .assets_due_for_attestation(period, Utc::now(), corral_store::assets::MAX_PAGE_SIZE)
        .await?;
    Ok(Json(
        assets
            .iter()
            .filter_map(|a| {
                attestation_due(a, period).map(|due_at| AttestationDue {
                    asset: AssetRef::of(a),
                    owner_email: a.owner_email.clone(),
                    due_at,
                })
            })
            .collect(),
    ))
}
