//! Findings and inventories as stored: an asset's findings (open, resolved or all, by
//! severity and scanner, paged), its dependency inventory, and the estate's open findings
//! per severity with their daily trend. Everyone who may see assets may read them.

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use corral_client::wire::{
    ErrorBody, FindingCounts, FindingCountsQuery, FindingListQuery, FindingPage, Inventory,
};
use corral_model::Action;
use corral_store::FindingQuery;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::json::ApiQuery;
use crate::routes::assets::resolve_asset;
use crate::routes::paging::Paging;
use crate::state::AppState;

/// Trend days when none are asked for.
const DEFAULT_TREND_DAYS: u32 = 30;

/// An asset's findings, most severe first, then most recently seen.
#[utoipa::path(get, path = "/api/v1/assets/{asset}/findings", tag = "scans",
    params(("asset" = String, Path, description = "Asset id or name"), FindingListQuery),
    responses((status = 200, body = FindingPage), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(query): ApiQuery<FindingListQuery>,
) -> ApiResult<Json<FindingPage>> {
    caller.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    let paging = Paging::of(
        query.page,
        query.per_page,
        50,
        corral_store::findings::MAX_PAGE_SIZE,
    )?;
    let found = state
        .store
        .findings(&FindingQuery {
            asset_id: Some(asset.id),
            state: query.state.unwrap_or_default(),
            severity: query.severity,
            scanner: query.scanner,
            limit: paging.per_page,
            offset: paging.offset(),
        })
        .await?;
    let open = state.store.open_finding_counts_of_asset(asset.id).await?;
    Ok(Json(FindingPage {
        items: found.items,
        total: found.total,
        page: paging.page,
        per_page: paging.per_page,
        open,
    }))
}

/// An asset's dependency inventory, from its latest complete dependency scan.
#[utoipa::path(get, path = "/api/v1/assets/{asset}/components", tag = "scans",
    params(("asset" = String, Path, description = "Asset id or name")),
    responses((status = 200, body = Inventory), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn components(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> ApiResult<Json<Inventory>> {
    caller.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    let stored = state.store.inventory_state(asset.id).await?;
    let components = state
        .store
        .inventory(asset.id)
        .await?
        .into_iter()
        .map(|i| i.component)
        .collect();
    Ok(Json(Inventory {
        scan_id: stored.as_ref().map(|s| s.scan_id),
        updated_at: stored.map(|s| s.updated_at),
        components,
    }))
}

/// Open findings of every asset per severity, and their trend over the last `days` days.
#[utoipa::path(get, path = "/api/v1/findings/counts", tag = "scans",
    params(FindingCountsQuery),
    responses((status = 200, body = FindingCounts), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn counts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<FindingCountsQuery>,
) -> ApiResult<Json<FindingCounts>> {
    caller.require(Action::ViewAssets)?;
    let days = query.days.unwrap_or(DEFAULT_TREND_DAYS);
    let max = corral_store::finding_stats::MAX_TREND_DAYS;
    if !(1..=max).contains(&days) {
        return Err(crate::error::ApiError::field(
            "days",
            format!("must be between 1 and {max}"),
        ));
    }
    let open = state.store.open_finding_counts().await?;
    let trend = state
        .store
        .finding_trend(days, Utc::now().date_naive())
        .await?;
    Ok(Json(FindingCounts { open, trend }))
}
