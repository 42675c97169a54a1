//! `/api/v1/reviews`: what waits for a reviewer, and reviewers' decisions.
//!
//! The rules of a review (a comment is required, nobody reviews their own asset, a critical
//! asset needs two different people in two capacities) live in
//! `corral_model::review::Review::act`; this file loads the review, calls it, and stores what
//! it decided with the asset's new approval, the decision, the audit entry and the event.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use corral_client::wire::{
    ErrorBody, ReviewActionOutcome, ReviewActionRequest, ReviewFilter, ReviewQuery, ReviewView,
};
use corral_model::decision::{Decision, DecisionKind};
use corral_model::review::{Review, ReviewAction, Reviewer};
use corral_model::{Action, Asset, Event, EventKind};
use corral_store::AuditEntry;
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, ApiQuery};
use crate::routes::assets::resolve_asset;
use crate::state::AppState;

pub fn review_view(review: Review, asset_name: &str, now: DateTime<Utc>) -> ReviewView {
    ReviewView {
        missing: review.missing(),
        overdue: review.is_overdue(now),
        asset_name: asset_name.to_string(),
        review,
    }
}

/// Reviews waiting for a decision (`state=open`, the default) or past their deadline
/// (`state=overdue`), the soonest due first.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews",
    params(ReviewQuery),
    responses((status = 200, body = Vec<ReviewView>)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReviewQuery>,
) -> ApiResult<Json<Vec<ReviewView>>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(
        review_queue(&state, query.state.unwrap_or_default(), Utc::now()).await?,
    ))
}

/// The reviews waiting for a decision (or only the overdue ones) at `now`, the soonest due
/// first, with their assets' names: the queue the API shows.
pub async fn review_queue(
    state: &AppState,
    filter: ReviewFilter,
    now: DateTime<Utc>,
) -> ApiResult<Vec<ReviewView>> {
    Ok(review_queue_with_assets(state, filter, now)
        .await?
        .into_iter()
        .map(|(view, _)| view)
        .collect())
}

/// [`review_queue`] with each review's asset (when it still exists), for the console's
/// queue, which shows the asset's tiers and knows who created it.
pub async fn review_queue_with_assets(
    state: &AppState,
    filter: ReviewFilter,
    now: DateTime<Utc>,
) -> ApiResult<Vec<(ReviewView, Option<Asset>)>> {
    let reviews = match filter {
        ReviewFilter::Open => state.store.open_reviews(1000, 0).await?,
        ReviewFilter::Overdue => state.store.overdue_reviews(now).await?,
    };
    let mut views = Vec::with_capacity(reviews.len());
    for review in reviews {
        let asset = state.store.asset(review.asset_id).await?;
        let name = match &asset {
            Some(a) => a.name.clone(),
            None => review.asset_id.to_string(),
        };
        views.push((review_view(review, &name, now), asset));
    }
    Ok(views)
}

/// The review named by `key`: a review id, or an asset id or name (its open review).
async fn resolve_review(state: &AppState, key: &str) -> ApiResult<Review> {
    if let Ok(id) = Uuid::parse_str(key)
        && let Some(review) = state.store.review(id).await?
    {
        return Ok(review);
    }
    let asset = resolve_asset(state, key)
        .await
        .map_err(|_| ApiError::not_found(format!("no review or asset `{key}`")))?;
    state
        .store
        .open_review_for_asset(asset.id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("`{}` has no open review", asset.name)))
}

/// Approve, request changes or reject, with a comment. `{review}` is a review id, or an asset
/// id or name for its open review.
#[utoipa::path(post, path = "/api/v1/reviews/{review}/actions", tag = "reviews",
    params(("review" = String, Path, description = "Review id, or asset id or name")),
    request_body = ReviewActionRequest,
    responses(
        (status = 200, body = ReviewActionOutcome),
        (status = 403, description = "Not a reviewer in a capacity this review needs, or the asset's creator", body = ErrorBody),
        (status = 409, description = "Closed, or already signed by this person", body = ErrorBody),
        (status = 422, description = "Comment missing", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(request): ApiJson<ReviewActionRequest>,
) -> ApiResult<Json<ReviewActionOutcome>> {
    Ok(Json(
        act_on_review(&state, &caller.actor(), &key, request).await?,
    ))
}

/// `actor` approves, requests changes or rejects the review named by `key` (a review id,
/// or an asset id or name for its open review): the rules of `Review::act`, the asset's new
/// approval, the decision, the audit entry and the event, for the API and the console.
pub async fn act_on_review(
    state: &AppState,
    actor: &Actor,
    key: &str,
    request: ReviewActionRequest,
) -> ApiResult<ReviewActionOutcome> {
    if !(actor.can(Action::SecurityReview) || actor.can(Action::BusinessSignoff)) {
        return Err(ApiError::forbidden(format!(
            "the {} role cannot review assets",
            actor.role
        )));
    }
    let found = resolve_review(state, key).await?;
    let now = Utc::now();
    let mut tx = state.store.begin().await?;
    let mut review = tx
        .review(found.id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no review `{}`", found.id)))?;
    let mut asset = tx
        .asset(review.asset_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no asset `{}`", review.asset_id)))?;
    let roles = [actor.role];
    let reviewer = Reviewer {
        email: &actor.email,
        roles: &roles,
    };
    let result = review.act(
        &reviewer,
        &asset.creator_email,
        request.action,
        &request.comment,
        now,
    )?;
    tx.update_review(&review).await?;
    let kind = match (request.action, result.closed) {
        (ReviewAction::Approve, None) => DecisionKind::Signoff,
        (ReviewAction::Approve, Some(_)) => DecisionKind::Approved,
        (ReviewAction::RequestChanges, _) => DecisionKind::ChangesRequested,
        (ReviewAction::Reject, _) => DecisionKind::Rejected,
    };
    tx.append_decision(&Decision {
        id: Uuid::now_v7(),
        asset_id: asset.id,
        review_id: Some(review.id),
        kind,
        actor: actor.email.clone(),
        role: result.signed_as,
        comment: request.comment.trim().to_string(),
        at: now,
    })
    .await?;
    if let Some(state_after) = result.closed {
        asset.approval = state_after;
        asset.updated_at = now;
        tx.update_asset(&asset).await?;
        let mut event = Event::new(
            EventKind::Decision,
            format!("{} is {} by {}", asset.name, state_after, actor.email),
            request.comment.trim().to_string(),
        );
        event.asset_id = Some(asset.id);
        event.recipients = vec![asset.owner_email.clone()];
        event.data = json!({"approval": state_after, "actor": actor.email, "review_id": review.id});
        state.emit(&mut tx, &event).await?;
    }
    tx.audit(
        AuditEntry::new(&actor.email, format!("review.{}", request.action.as_str()))
            .subject(asset.id.to_string())
            .data(json!({
                "review_id": review.id,
                "signed_as": result.signed_as,
                "closed": result.closed,
                "comment": request.comment.trim(),
                "token": actor.token_name,
            })),
    );
    tx.commit().await?;
    state.wake_dispatcher();
    Ok(ReviewActionOutcome {
        review: review_view(review, &asset.name, now),
        signed_as: result.signed_as,
        approval: asset.approval,
    })
}
