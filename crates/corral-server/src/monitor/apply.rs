//! Bringing one asset's advisory matches in line with what the advisory data expects, inside
//! a transaction: matches, the findings they own, announcements, and the audit entry.
//!
//! For each expected (package, advisory):
//! - a match that is new, or matches again after it was fixed, is stored and, unless one of
//!   the advisory's ids was announced for this asset before, announced;
//! - its finding is opened or refreshed, unless an open finding of an uploaded scan already
//!   reports one of the advisory's ids for the package: then the server's own finding is
//!   resolved as superseded, so the problem is counted once.
//!
//! Each earlier open match no longer expected is fixed, and its finding resolved as fixed.
//! New announcements of one evaluation go out as one event per asset, to the asset's owner
//! and backup owner and to every target subscribed to `advisory-match`.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use corral_client::wire::AdvisoryChanges;
use corral_model::{
    AdvisoryMatch, Asset, Ecosystem, Event, EventKind, FindingOrigin, FindingRecord, Resolution,
};
use corral_store::{AuditEntry, WriteTx};
use serde_json::json;
use uuid::Uuid;

use super::expected::{Expected, advisory_ids};
use crate::error::ApiResult;
use crate::state::AppState;

/// Who the audit log names for the monitor's changes.
pub const MONITOR_ACTOR: &str = "monitor";

/// The ids open scan findings report per package: (ecosystem, package) → ids.
#[derive(Debug, Clone, Default)]
pub struct Coverage(BTreeMap<(Ecosystem, String), HashSet<String>>);

impl Coverage {
    /// From open scan findings of one asset.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a FindingRecord>) -> Self {
        let mut coverage = Coverage::default();
        for record in findings {
            let f = &record.finding;
            let Some(ecosystem) = f
                .details
                .get("ecosystem")
                .and_then(|v| v.as_str())
                .and_then(|e| e.parse::<Ecosystem>().ok())
            else {
                continue;
            };
            let Some(package) = f.details.get("package").and_then(|v| v.as_str()) else {
                continue;
            };
            let package = corral_deps::name::normalize(ecosystem, package);
            coverage
                .0
                .entry((ecosystem, package))
                .or_default()
                .extend(advisory_ids(f));
        }
        coverage
    }

    fn covers(&self, e: &Expected) -> bool {
        self.0
            .get(&(e.ecosystem, e.package.clone()))
            .is_some_and(|ids| e.ids.iter().any(|id| ids.contains(id)))
    }
}

/// Whether `expected` and the stored matches `existing` already agree, so nothing needs
/// writing (coverage aside, which only uploads change).
pub fn in_step(expected: &[Expected], existing: &[AdvisoryMatch]) -> bool {
    let open: Vec<&AdvisoryMatch> = existing.iter().filter(|m| m.fixed_at.is_none()).collect();
    open.len() == expected.len()
        && expected.iter().all(|e| {
            open.iter().any(|m| {
                m.ecosystem == e.ecosystem
                    && m.package == e.package
                    && m.advisory_id == e.advisory_id
                    && m.ids == e.ids
                    && m.matched == e.matched
                    && m.severity == e.severity
            })
        })
}

/// Applies `expected` to `asset` (see the module docs). `existing` are the asset's stored
/// matches (open or fixed) for the packages evaluated; `trigger` says what started the
/// evaluation, for the audit entry and the event.
#[allow(clippy::too_many_arguments)]
pub async fn apply_asset(
    state: &AppState,
    tx: &mut WriteTx<'_>,
    asset: &Asset,
    expected: &[Expected],
    existing: Vec<AdvisoryMatch>,
    coverage: &Coverage,
    trigger: &str,
    now: DateTime<Utc>,
) -> ApiResult<AdvisoryChanges> {
    let mut stored: BTreeMap<(Ecosystem, String, String), AdvisoryMatch> = existing
        .into_iter()
        .map(|m| ((m.ecosystem, m.package.clone(), m.advisory_id.clone()), m))
        .collect();
    let mut changes = AdvisoryChanges::default();
    let mut refreshed = Vec::new();
    let mut to_announce: Vec<&Expected> = Vec::new();
    for e in expected {
        let key = (e.ecosystem, e.package.clone(), e.advisory_id.clone());
        let prior = stored.remove(&key);
        let is_new = prior.as_ref().is_none_or(|p| p.fixed_at.is_some());
        let differs = prior
            .as_ref()
            .is_none_or(|p| p.ids != e.ids || p.matched != e.matched || p.severity != e.severity);
        if is_new || differs {
            tx.upsert_match(&AdvisoryMatch {
                asset_id: asset.id,
                ecosystem: e.ecosystem,
                package: e.package.clone(),
                advisory_id: e.advisory_id.clone(),
                ids: e.ids.clone(),
                matched: e.matched.clone(),
                severity: e.severity,
                fingerprint: e.finding.fingerprint.clone(),
                first_matched: prior.as_ref().map_or(now, |p| p.first_matched),
                fixed_at: None,
            })
            .await?;
        }
        if is_new {
            changes.matched.push(e.advisory_id.clone());
            let announced = tx.announced_ids(asset.id, &e.ids).await?;
            if announced.is_empty() {
                to_announce.push(e);
            } else {
                // Known under another id already: remember this one too, announce nothing.
                tx.record_notices(asset.id, &e.ids, Uuid::nil(), now)
                    .await?;
            }
        } else if differs {
            refreshed.push(e.advisory_id.clone());
        }
        // A (package, advisory) never matched before has no finding of the server's yet.
        let finding_was = match prior {
            None => None,
            Some(_) => tx.finding_state(asset.id, &e.finding.fingerprint).await?,
        };
        let finding_open = finding_was.map(|(open, _)| open);
        if coverage.covers(e) {
            if finding_open == Some(true) {
                tx.resolve_finding(
                    asset.id,
                    &e.finding.fingerprint,
                    Resolution::Superseded,
                    now,
                )
                .await?;
            }
        } else if is_new || differs || finding_open != Some(true) {
            tx.open_monitor_finding(
                asset.id,
                &e.finding,
                (e.ecosystem, &e.package),
                finding_was,
                now,
            )
            .await?;
        }
    }
    for ((ecosystem, package, advisory_id), prior) in stored {
        if prior.fixed_at.is_some() {
            continue;
        }
        tx.fix_match(asset.id, ecosystem, &package, &advisory_id, now)
            .await?;
        tx.resolve_finding(asset.id, &prior.fingerprint, Resolution::Fixed, now)
            .await?;
        changes.fixed.push(advisory_id);
    }
    if !to_announce.is_empty() {
        let event = announcement(asset, &to_announce, trigger, now);
        state.emit(tx, &event).await?;
        for e in &to_announce {
            tx.record_notices(asset.id, &e.ids, event.id, now).await?;
            changes.announced.push(e.advisory_id.clone());
        }
    }
    if !changes.is_empty() || !refreshed.is_empty() {
        tx.audit(
            AuditEntry::new(MONITOR_ACTOR, "advisory.evaluated")
                .subject(asset.id.to_string())
                .data(json!({
                    "trigger": trigger,
                    "matched": changes.matched,
                    "fixed": changes.fixed,
                    "announced": changes.announced,
                    "updated": refreshed,
                })),
        );
    }
    Ok(changes)
}

/// The event announcing `matches` of `asset`.
fn announcement(asset: &Asset, matches: &[&Expected], trigger: &str, now: DateTime<Utc>) -> Event {
    let title = match matches {
        [one] => format!(
            "{} uses {} {}, affected by {}",
            asset.name,
            one.ecosystem,
            one.package,
            label(one)
        ),
        many => format!(
            "{} uses packages affected by {} advisories",
            asset.name,
            many.len()
        ),
    };
    let body = matches
        .iter()
        .map(|e| {
            let fix = e.finding.fix.as_deref().unwrap_or("");
            format!("- [{}] {} {}", e.severity, e.finding.message, fix)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut event = Event::new(EventKind::AdvisoryMatch, title, body);
    event.at = now;
    event.asset_id = Some(asset.id);
    let mut recipients = vec![asset.owner_email.clone()];
    if let Some(backup) = &asset.backup_owner_email
        && !recipients.contains(backup)
    {
        recipients.push(backup.clone());
    }
    event.recipients = recipients;
    event.data = json!({
        "asset": asset.name,
        "trigger": trigger,
        "advisories": matches.iter().map(|e| json!({
            "id": e.advisory_id,
            "ids": e.ids,
            "ecosystem": e.ecosystem,
            "package": e.package,
            "severity": e.severity,
            "matched": e.matched,
            "fixed_version": e.finding.details.get("fixed_version"),
        })).collect::<Vec<_>>(),
    });
    event
}

/// `GHSA-… (CVE-…)` when the advisory has a CVE alias.
fn label(e: &Expected) -> String {
    match e
        .ids
        .iter()
        .find(|i| i.starts_with("CVE-") && **i != e.advisory_id)
    {
        Some(cve) => format!("{} ({cve})", e.advisory_id),
        None => e.advisory_id.clone(),
    }
}

/// The open scan findings of `asset_id` that are about packages, as coverage.
pub async fn coverage_in(tx: &mut WriteTx<'_>, asset_id: Uuid) -> ApiResult<Coverage> {
    let findings = tx
        .open_package_findings(asset_id, FindingOrigin::Scan)
        .await?;
    Ok(Coverage::of(&findings))
}
