//! The full re-evaluation: every stored inventory against the current advisory data.
//!
//! The work goes package by package, not asset by asset: a package with no advisories and
//! no earlier match cannot change anything, and most packages are like that, so for them the
//! pass costs one lookup in the advisory index. For each remaining package it reads every
//! declaration of it (one indexed query) and the matches it had, computes each asset's
//! expected matches, and keeps only the assets where they differ. Those are then written in
//! transactions of [`ASSETS_PER_TRANSACTION`] assets ([`super::apply::apply_asset`]), each
//! skipped if an upload replaced the asset's inventory since it was read.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::Utc;
use corral_client::wire::EvaluationSummary;
use corral_deps::advisory::AdvisoryDb;
use corral_deps::advisory_check::advisories_of;
use corral_model::{AdvisoryMatch, Ecosystem};
use uuid::Uuid;

use super::advisory_data::{EVALUATED_GENERATION_KEY, Generation, generation};
use super::apply::{apply_asset, coverage_in, in_step};
use super::expected::{Expected, expected_for_package};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Assets written per transaction: large enough that commits are not the cost, small enough
/// that SQLite's single writer is not held for long.
pub const ASSETS_PER_TRANSACTION: usize = 200;

/// What has to change for one asset.
#[derive(Debug, Default)]
struct AssetWork {
    /// The scan the inventory came from when it was read.
    scan: Option<Uuid>,
    expected: Vec<Expected>,
    existing: Vec<AdvisoryMatch>,
}

/// Re-evaluates every stored inventory, waiting for any evaluation in progress.
pub async fn reevaluate_all(state: &AppState, trigger: &str) -> ApiResult<EvaluationSummary> {
    let _one_at_a_time = state.monitor.lock().await;
    reevaluate_locked(state, trigger).await
}

/// [`reevaluate_all`] for a caller already holding the monitor's lock.
pub async fn reevaluate_locked(state: &AppState, trigger: &str) -> ApiResult<EvaluationSummary> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let data_dir = state.monitor.data_dir();
    let Generation::Settled(generation) = generation(data_dir) else {
        return Err(ApiError::conflict(
            "the advisory data is being written right now; the evaluation runs once it is complete",
        ));
    };
    let db = AdvisoryDb::open(data_dir).map_err(ApiError::internal)?;
    let store = &state.store;
    let matched: BTreeSet<(Ecosystem, String)> =
        store.matched_packages().await?.into_iter().collect();
    let mut packages: BTreeSet<(Ecosystem, String)> =
        store.inventory_packages().await?.into_iter().collect();
    packages.extend(matched.iter().cloned());

    let mut summary = EvaluationSummary {
        trigger: trigger.to_string(),
        started_at,
        duration_ms: 0,
        evaluate_ms: 0,
        write_ms: 0,
        generation: generation.clone(),
        packages: packages.len() as u64,
        packages_evaluated: 0,
        assets_changed: 0,
        assets_skipped: 0,
        matches_opened: 0,
        matches_fixed: 0,
        announced: 0,
    };
    let mut work: BTreeMap<Uuid, AssetWork> = BTreeMap::new();
    for (ecosystem, package) in &packages {
        let advisories = advisories_of(&db, *ecosystem, package);
        if advisories.is_empty() && !matched.contains(&(*ecosystem, package.clone())) {
            continue;
        }
        summary.packages_evaluated += 1;
        let inventories = store.inventories_with_package(*ecosystem, package).await?;
        let mut existing: BTreeMap<Uuid, Vec<AdvisoryMatch>> = BTreeMap::new();
        for m in store.matches_of_package(*ecosystem, package).await? {
            existing.entry(m.asset_id).or_default().push(m);
        }
        let assets: BTreeSet<Uuid> = inventories.keys().chain(existing.keys()).copied().collect();
        for asset_id in assets {
            let (scan, components) = match inventories.get(&asset_id) {
                Some((scan, components)) => (Some(*scan), components.as_slice()),
                None => (None, &[][..]),
            };
            let expected = expected_for_package(components, &advisories);
            let before = existing.remove(&asset_id).unwrap_or_default();
            if in_step(&expected, &before) {
                continue;
            }
            let entry = match work.entry(asset_id) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    let scan = match scan {
                        Some(scan) => Some(scan),
                        None => store.inventory_state(asset_id).await?.map(|s| s.scan_id),
                    };
                    v.insert(AssetWork {
                        scan,
                        ..Default::default()
                    })
                }
            };
            entry.expected.extend(expected);
            entry.existing.extend(before);
        }
    }

    summary.evaluate_ms = clock.elapsed().as_millis() as u64;
    let writing = Instant::now();
    let work: Vec<(Uuid, AssetWork)> = work.into_iter().collect();
    let mut remaining = work.into_iter().peekable();
    while remaining.peek().is_some() {
        let chunk: Vec<(Uuid, AssetWork)> =
            remaining.by_ref().take(ASSETS_PER_TRANSACTION).collect();
        let now = Utc::now();
        let mut tx = store.begin().await?;
        let mut announced_any = false;
        for (asset_id, w) in chunk {
            if tx.inventory_scan(asset_id).await? != w.scan {
                summary.assets_skipped += 1;
                continue;
            }
            let Some(asset) = tx.asset(asset_id).await? else {
                summary.assets_skipped += 1;
                continue;
            };
            let coverage = coverage_in(&mut tx, asset_id).await?;
            let changes = apply_asset(
                state,
                &mut tx,
                &asset,
                &w.expected,
                w.existing,
                &coverage,
                trigger,
                now,
            )
            .await?;
            summary.assets_changed += 1;
            summary.matches_opened += changes.matched.len() as u64;
            summary.matches_fixed += changes.fixed.len() as u64;
            summary.announced += changes.announced.len() as u64;
            announced_any |= !changes.announced.is_empty();
        }
        tx.commit().await?;
        if announced_any {
            state.wake_dispatcher();
        }
    }
    store
        .put_setting(EVALUATED_GENERATION_KEY, &generation)
        .await?;
    summary.write_ms = writing.elapsed().as_millis() as u64;
    summary.duration_ms = clock.elapsed().as_millis() as u64;
    tracing::info!(
        trigger,
        ms = summary.duration_ms,
        packages = summary.packages_evaluated,
        changed = summary.assets_changed,
        opened = summary.matches_opened,
        fixed = summary.matches_fixed,
        announced = summary.announced,
        "re-evaluated stored inventories against the advisory data"
    );
    state.monitor.remember(&summary);
    Ok(summary)
}
