//! `/api/v1/advisories`: the server's advisory data, loading more of it, and what an advisory
//! affects.
//!
//! `POST /api/v1/advisories/import` takes an OSV export as `corral db import` does: a zip
//! archive (an ecosystem's `all.zip`), one OSV JSON record, or a JSON array of records. The
//! body is written to the data directory as it arrives (at most `max_advisory_bytes`),
//! imported into the advisory database (replacing each imported ecosystem's data, or with
//! `merge=true` adding to it), and every stored inventory is then re-evaluated before the
//! answer, which reports both. Admins and security reviewers may import; everyone who may
//! see assets may read the status and the affected assets.

use std::path::{Path as FsPath, PathBuf};

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::header::CONTENT_TYPE;
use chrono::Utc;
use corral_client::wire::{
    AdvisoryImpact, AdvisoryImportOutcome, AdvisoryImportQuery, AdvisorySetStatus, AdvisoryStatus,
    ErrorBody, ImportProblem,
};
use corral_deps::advisory::import::{ImportSummary, import_records};
use corral_deps::advisory::read_records;
use corral_deps::advisory::{AdvisoryDb, EcosystemStatus, OsvRecord};
use corral_model::Action;
use uuid::Uuid;

use crate::auth::Caller;
use crate::body_limit::{UploadKind, body_to_file};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiQuery;
use crate::monitor::reevaluate::reevaluate_locked;
use crate::state::AppState;

const ADVISORY_UPLOAD: UploadKind = UploadKind {
    what: "advisory upload",
    setting: "max_advisory_bytes",
};

fn set_status(s: EcosystemStatus) -> AdvisorySetStatus {
    AdvisorySetStatus {
        ecosystem: s.ecosystem,
        imported_at: s.imported_at,
        source: s.source,
        advisories: s.advisories as u64,
        packages: s.packages as u64,
        malicious: s.malicious as u64,
    }
}

/// The advisory data the server holds, and the last full re-evaluation.
#[utoipa::path(get, path = "/api/v1/advisories", tag = "advisories",
    responses((status = 200, body = AdvisoryStatus)),
    security(("bearer" = [])))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AdvisoryStatus>> {
    caller.require(Action::ViewAssets)?;
    let db = AdvisoryDb::open(state.monitor.data_dir()).map_err(ApiError::internal)?;
    Ok(Json(AdvisoryStatus {
        ecosystems: db.status().into_iter().map(set_status).collect(),
        last_evaluation: state.monitor.last_evaluation(),
    }))
}

/// Reads an uploaded JSON file: one OSV record, or an array of them.
fn read_json_records(path: &FsPath) -> (Vec<OsvRecord>, Vec<corral_deps::advisory::ImportProblem>) {
    let problem =
        |file: String, reason: String| corral_deps::advisory::ImportProblem { file, reason };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (Vec::new(), vec![problem("upload".into(), e.to_string())]),
    };
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return (
                Vec::new(),
                vec![problem("upload".into(), format!("not JSON: {e}"))],
            );
        }
    };
    let items = match value {
        serde_json::Value::Array(items) => items.into_iter().enumerate().collect(),
        single => vec![(0, single)],
    };
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in items {
        let id = item
            .get("id")
            .and_then(|v| v.as_str())
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        match serde_json::from_value::<OsvRecord>(item) {
            Ok(r) => records.push(r),
            Err(e) => problems.push(problem(
                format!("upload[{i}]{id}"),
                format!("not an OSV record: {e}"),
            )),
        }
    }
    (records, problems)
}

/// Imports the uploaded file at `path` into `data_dir`.
fn import_file(
    data_dir: &FsPath,
    path: &FsPath,
    zip: bool,
    source: &str,
    merge: bool,
) -> Result<ImportSummary, corral_deps::advisory::StoreError> {
    let (records, problems) = if zip {
        read_records(path)
    } else {
        read_json_records(path)
    };
    import_records(data_dir, records, problems, source, merge, Utc::now())
}

/// Load OSV advisories (a zip export, one JSON record or a JSON array of records), then
/// re-evaluate every stored inventory against the result.
#[utoipa::path(post, path = "/api/v1/advisories/import", tag = "advisories",
    params(AdvisoryImportQuery),
    request_body(content = Vec<u8>, content_type = "application/zip",
        description = "An OSV zip export, or (as application/json) one OSV record or an array of them"),
    responses(
        (status = 200, body = AdvisoryImportOutcome),
        (status = 400, body = ErrorBody, description = "No OSV records in the upload"),
        (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Over max_advisory_bytes"),
    ),
    security(("bearer" = [])))]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<AdvisoryImportQuery>,
    request: Request,
) -> ApiResult<Json<AdvisoryImportOutcome>> {
    caller.require(Action::ImportAdvisories)?;
    let declared_zip = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("zip"));
    let data_dir = state.monitor.data_dir().to_path_buf();
    let uploads = data_dir.join("downloads");
    tokio::fs::create_dir_all(&uploads)
        .await
        .map_err(ApiError::internal)?;
    let upload = Upload(uploads.join(format!("advisory-upload-{}", Uuid::now_v7())));
    body_to_file(
        request,
        ADVISORY_UPLOAD,
        state.max_advisory_bytes,
        &upload.0,
    )
    .await?;
    let zip = declared_zip || starts_like_zip(&upload.0);
    // The path's extension tells the importer how to read it.
    let named = upload.0.with_extension(if zip { "zip" } else { "json" });
    tokio::fs::rename(&upload.0, &named)
        .await
        .map_err(ApiError::internal)?;
    let upload = Upload(named);
    let source = format!("upload by {}", caller.email);
    let merge = query.merge.unwrap_or(false);

    let _one_at_a_time = state.monitor.lock().await;
    let path = upload.0.clone();
    let summary =
        tokio::task::spawn_blocking(move || import_file(&data_dir, &path, zip, &source, merge))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
    drop(upload);
    if summary.records == 0 {
        let reason = summary
            .problems
            .first()
            .map(|p| format!(": {}", p.reason))
            .unwrap_or_default();
        return Err(ApiError::bad_request(format!(
            "the upload held no OSV records{reason}; nothing was imported"
        ))
        .with_help("send an OSV all.zip export (application/zip), one OSV JSON record, or a JSON array of records"));
    }
    let evaluation = reevaluate_locked(&state, "import").await?;
    Ok(Json(AdvisoryImportOutcome {
        records: summary.records as u64,
        withdrawn: summary.withdrawn as u64,
        other_ecosystems: summary.other_ecosystems as u64,
        problems: summary
            .problems
            .into_iter()
            .map(|p| ImportProblem {
                file: p.file,
                reason: p.reason,
            })
            .collect(),
        written: summary.written.into_iter().map(set_status).collect(),
        evaluation,
    }))
}

/// An uploaded file, removed when dropped.
struct Upload(PathBuf);

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether the file starts with a zip archive's signature.
fn starts_like_zip(path: &FsPath) -> bool {
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"PK\x03\x04"
}

/// The assets an advisory affects now, by its id or any alias (CVE, GHSA, PYSEC…), with
/// their owners and the versions that match.
#[utoipa::path(get, path = "/api/v1/advisories/{id}/assets", tag = "advisories",
    params(("id" = String, Path, description = "An advisory id or alias, e.g. CVE-2023-32681")),
    responses((status = 200, body = AdvisoryImpact)),
    security(("bearer" = [])))]
pub async fn affected(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<AdvisoryImpact>> {
    caller.require(Action::ViewAssets)?;
    let items = state.store.assets_affected_by(&id).await?;
    let assets = items
        .iter()
        .map(|i| i.asset.asset_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    Ok(Json(AdvisoryImpact {
        advisory: id.trim().to_string(),
        items,
        assets,
    }))
}
