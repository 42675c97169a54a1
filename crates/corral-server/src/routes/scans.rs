//! `/api/v1/assets/{asset}/scans`: uploading a scan report for an asset, and the asset's scan
//! history.
//!
//! The body of an upload is the JSON report exactly as `corral scan --format json` writes it.
//! Nothing of it is stored unless all of it is accepted: a body over `max_scan_bytes` is a
//! 413, malformed JSON a 400 naming the place (its JSON path, line and column), a value that
//! does not fit the report schema a 422 naming the field by its path (`findings[2].severity`).
//! Before storing, every field that could carry a secret is screened (`secret_screen.rs`);
//! the answer lists what was removed.
//!
//! One transaction then records the scan, stores its findings by fingerprint (opening new
//! ones, refreshing known ones, and for a complete report resolving as fixed what it no
//! longer reports), replaces the asset's inventory when the report ran the dependency
//! scanner over the whole asset, evaluates the inventory against the server's advisory data
//! (announcing new matches once), and appends the audit entry.
//!
//! Owners (owner, backup owner, creator) upload their own assets' scans; admins and security
//! reviewers any asset's.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::{ErrorBody, PageQuery, ScanPage, ScanUploadOutcome, ScanUploadQuery};
use corral_deps::advisory::AdvisoryDb;
use corral_deps::advisory_check::advisories_of;
use corral_model::{
    Action, Component, Ecosystem, REPORT_SCHEMA_VERSION, Report, ScanRecord, ScanSummary,
    SeverityCounts,
};
use corral_store::{AuditEntry, FindingInput, InventoryItem};
use serde_json::json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::body_limit::{UploadKind, read_body};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::monitor::apply::{apply_asset, coverage_in};
use crate::monitor::expected::expected_matches;
use crate::routes::assets::resolve_asset;
use crate::routes::paging::Paging;
use crate::secret_screen::screen_report;
use crate::state::AppState;

const SCAN_REPORT: UploadKind = UploadKind {
    what: "scan report",
    setting: "max_scan_bytes",
};

/// Longest fingerprint accepted (Corral's scanners write 32 hex digits).
const MAX_FINGERPRINT_CHARS: usize = 128;

/// Decodes a report, naming where it went wrong.
fn decode_report(bytes: &[u8]) -> ApiResult<Report> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!(
                "the scan report is not valid JSON at `{path}` (line {}, column {}): {inner}; \
                 nothing was stored",
                inner.line(),
                inner.column()
            ))
            .with_help("upload the file `corral scan --format json` writes, unchanged")
        } else {
            let field = if path == "." {
                "body".to_string()
            } else {
                path
            };
            let rule = inner.to_string();
            let rule = match rule.rfind(" at line ") {
                Some(i) => rule[..i].to_string(),
                None => rule,
            };
            ApiError::field(&field, rule)
        }
    })
}

/// Checks what serde cannot: the schema version and the fingerprints.
fn validate(report: &Report) -> ApiResult<()> {
    if report.schema_version != REPORT_SCHEMA_VERSION {
        return Err(ApiError::field(
            "schema_version",
            format!(
                "is {}, but this server reads version {REPORT_SCHEMA_VERSION} of the report \
                 format: upload a report from a matching Corral",
                report.schema_version
            ),
        ));
    }
    for (i, f) in report.findings.iter().enumerate() {
        let chars = f.fingerprint.chars().count();
        if chars == 0 || chars > MAX_FINGERPRINT_CHARS {
            return Err(ApiError::field(
                &format!("findings[{i}].fingerprint"),
                format!("must be 1 to {MAX_FINGERPRINT_CHARS} characters"),
            ));
        }
    }
    Ok(())
}

/// The package a dependency finding is about, normalised, from its details.
fn package_of(finding: &corral_model::Finding) -> Option<(Ecosystem, String)> {
    if finding.scanner != corral_deps::rules::SCANNER {
        return None;
    }
    let ecosystem: Ecosystem = finding.details.get("ecosystem")?.as_str()?.parse().ok()?;
    let name = finding.details.get("package")?.as_str()?;
    Some((ecosystem, corral_deps::name::normalize(ecosystem, name)))
}

/// Upload a scan report for an asset. The body is the JSON report of `corral scan --format
/// json`; `partial=true` marks a report that covers only part of the asset.
#[utoipa::path(post, path = "/api/v1/assets/{asset}/scans", tag = "scans",
    params(("asset" = String, Path, description = "Asset id or name"), ScanUploadQuery),
    request_body(content = Report, content_type = "application/json"),
    responses(
        (status = 201, body = ScanUploadOutcome),
        (status = 400, body = ErrorBody, description = "Not valid JSON"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Over max_scan_bytes"),
        (status = 422, body = ErrorBody, description = "A field does not fit the report schema"),
    ),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(query): ApiQuery<ScanUploadQuery>,
    request: Request,
) -> ApiResult<(StatusCode, Json<ScanUploadOutcome>)> {
    let asset = resolve_asset(&state, &key).await?;
    caller.require_on_asset(&asset, Action::EditOwnAsset, Action::UploadAnyScan)?;
    let bytes = read_body(request, SCAN_REPORT, state.max_scan_bytes).await?;
    let mut report = decode_report(&bytes)?;
    drop(bytes);
    validate(&report)?;
    let screened = screen_report(&mut report);

    let partial = query.partial.unwrap_or(false);
    // A report that left out baselined findings cannot say which of them are fixed.
    let complete = !partial && report.baselined == 0;
    let replaces_inventory = !partial && report.scanners.iter().any(|s| s == "deps");
    let packages: Vec<Option<(Ecosystem, String)>> =
        report.findings.iter().map(package_of).collect();
    let inputs: Vec<FindingInput<'_>> = report
        .findings
        .iter()
        .zip(&packages)
        .map(|(finding, package)| FindingInput {
            finding,
            package: package.as_ref().map(|(e, p)| (*e, p.as_str())),
        })
        .collect();
    let items: Vec<InventoryItem> = report
        .components
        .iter()
        .map(|c| InventoryItem {
            package: corral_deps::name::normalize(c.ecosystem, &c.name),
            component: c.clone(),
        })
        .collect();

    // One evaluation at a time: a full re-evaluation must not write this asset's matches
    // from the inventory this upload replaces.
    let _one_at_a_time = state.monitor.lock().await;
    let db = AdvisoryDb::open(state.monitor.data_dir()).map_err(ApiError::internal)?;
    let evaluated: Vec<Component> = if replaces_inventory {
        report.components.clone()
    } else {
        state
            .store
            .inventory(asset.id)
            .await?
            .into_iter()
            .map(|i| i.component)
            .collect()
    };
    let expected = expected_matches(&evaluated, |ecosystem, package| {
        advisories_of(&db, ecosystem, package)
    });

    let now = Utc::now();
    let scan_id = Uuid::now_v7();
    let mut tx = state.store.begin().await?;
    let changes = tx
        .record_scan_findings(asset.id, scan_id, &inputs, &report.scanners, complete, now)
        .await?;
    if replaces_inventory {
        tx.replace_inventory(asset.id, scan_id, &items, now).await?;
    }
    let existing = tx.matches_of_asset(asset.id).await?;
    let coverage = coverage_in(&mut tx, asset.id).await?;
    let advisories = apply_asset(
        &state, &mut tx, &asset, &expected, existing, &coverage, "upload", now,
    )
    .await?;

    let mut counts = SeverityCounts::default();
    let mut seen = std::collections::HashSet::new();
    for f in &report.findings {
        if seen.insert(f.fingerprint.as_str()) {
            counts.add(f.severity);
        }
    }
    let record = ScanRecord {
        id: scan_id,
        asset_id: asset.id,
        uploaded_at: now,
        uploaded_by: caller.email.clone(),
        tool: report.tool.clone(),
        started_at: report.started_at,
        complete,
        summary: ScanSummary {
            scanners: report.scanners.clone(),
            findings: counts,
            duplicates: changes.duplicates,
            components: report.components.len() as u64,
            files_scanned: report.stats.files_scanned,
            files_skipped: report.stats.files_skipped,
            errors: report.errors.len() as u64,
            suppressed: report.suppressed.len() as u64,
            baselined: report.baselined as u64,
            duration_ms: report.duration_ms,
            opened: changes.opened,
            reopened: changes.reopened,
            fixed: changes.fixed,
        },
    };
    tx.insert_scan(&record).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "scan.uploaded")
            .subject(asset.id.to_string())
            .data(json!({
                "scan_id": scan_id,
                "tool": record.tool,
                "complete": complete,
                "findings": counts,
                "opened": changes.opened,
                "reopened": changes.reopened,
                "fixed": changes.fixed,
                "components": record.summary.components,
                "inventory_replaced": replaces_inventory,
                "screened_fields": screened.fields.len(),
            })),
    );
    tx.commit().await?;
    if !advisories.announced.is_empty() {
        state.wake_dispatcher();
    }
    Ok((
        StatusCode::CREATED,
        Json(ScanUploadOutcome {
            scan: record,
            screened: screened.fields,
            advisories,
        }),
    ))
}

/// An asset's uploaded scans, newest first.
#[utoipa::path(get, path = "/api/v1/assets/{asset}/scans", tag = "scans",
    params(("asset" = String, Path, description = "Asset id or name"), PageQuery),
    responses((status = 200, body = ScanPage), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<ScanPage>> {
    caller.require(Action::ViewAssets)?;
    let asset = resolve_asset(&state, &key).await?;
    let paging = Paging::of(query.page, query.per_page, 50, 500)?;
    let (items, total) = state
        .store
        .scans_for_asset(asset.id, paging.per_page, paging.offset())
        .await?;
    Ok(Json(ScanPage {
        items,
        total,
        page: paging.page,
        per_page: paging.per_page,
    }))
}
