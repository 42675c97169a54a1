//! `/api/v1/jobs` and `/api/v1/runs`: scheduled jobs, their runs and logs, their secrets.
//!
//! A job belongs to a registered asset, and the asset's ownership decides who may change
//! it: whoever may edit the asset (its owner, backup owner or creator; admins for any) may
//! create, delete and trigger its jobs and set their secrets. Everyone who may see assets
//! may see jobs and their run history. Logs were masked by the executor before they were
//! stored; secret values go in through `PUT …/secrets/{name}` and never come out of any
//! endpoint — listing shows names and dates.
//!
//! A job's files come from its source: a git repository (fetched by the runner), or a
//! bundle uploaded with `PUT …/bundle` — a `.tar.gz` of at most `max_bundle_bytes`, checked
//! by unpacking it once into a throw-away directory (with the same hostile-input checks the
//! runner applies), then stored by its SHA-256 and named in the job's source. `PATCH` edits
//! a job in place: the body is a JSON merge patch of the definition, validated like a new
//! job.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use chrono::Utc;
use corral_client::wire::ErrorBody;
use corral_model::Action;
use corral_model::validation::{FieldError, ValidationErrors};
use corral_runner::bundle::UnpackLimits;
use corral_runner::masking::MIN_MASKED_LEN;
use corral_runner::records::{Job, JobSource, Run, Trigger};
use corral_runner::source::StoredSources;
use corral_secretbox::{MASTER_KEY_ENV, MasterKey, SealedSecret};
use corral_store::AuditEntry;
use corral_store::job_secrets::{JobSecretInfo, sealing_name};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::auth::{Actor, Caller};
use crate::body_limit::{UploadKind, read_body};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Runs listed per page.
const RUNS_PAGE: u32 = 100;

const BUNDLE: UploadKind = UploadKind {
    what: "job bundle",
    setting: "max_bundle_bytes",
};

/// The job a path names, by id or by name.
pub async fn find_job(state: &AppState, reference: &str) -> ApiResult<Job> {
    let found = match Uuid::parse_str(reference) {
        Ok(id) => state.store.job(id).await?,
        Err(_) => state.store.job_by_name(reference).await?,
    };
    found.ok_or_else(|| ApiError::not_found(format!("no job `{reference}`")))
}

/// Refuses unless the caller may change `job` (through its asset).
async fn require_change(state: &AppState, caller: &Caller, job: &Job) -> ApiResult<()> {
    require_job_change(state, &caller.actor(), job).await
}

/// Refuses unless `actor` may change `job`: whoever may edit its asset, or anyone who may
/// edit every asset when it has none. The console asks this too, to offer only what works.
pub async fn require_job_change(state: &AppState, actor: &Actor, job: &Job) -> ApiResult<()> {
    let Some(asset_id) = job.asset_id else {
        return actor.require(Action::EditAnyAsset);
    };
    match state.store.asset(asset_id).await? {
        Some(asset) => actor.require_on_asset(&asset, Action::EditOwnAsset, Action::EditAnyAsset),
        None => actor.require(Action::EditAnyAsset),
    }
}

/// "Run now": checks that `actor` may change `job` and queues a manual run of it, which a
/// runner node starts at its next tick. The API and the console's button both come here.
pub async fn run_now(state: &AppState, actor: &Actor, job: &Job) -> ApiResult<Run> {
    require_job_change(state, actor, job).await?;
    let run = Run::queued(job.id, &job.name, Trigger::Manual, None, Utc::now());
    state.store.queue_run(&run).await?;
    Ok(run)
}

/// Every job, by name.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs",
    responses((status = 200, description = "Job definitions", body = Vec<Object>)),
    security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Job>>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(state.store.jobs().await?))
}

/// What is wrong with a job definition as a whole: its own checks, and a source the server
/// will not run.
fn definition_problems(job: &Job) -> Vec<FieldError> {
    let mut problems: Vec<FieldError> = job
        .validate()
        .into_iter()
        .map(|e| FieldError {
            field: e.field,
            rule: e.message,
        })
        .collect();
    problems.extend(source_problem(&job.source));
    problems
}

/// Define a job for a registered asset. The body is a job definition (the same document
/// as a `[[job]]` table of a jobs file); each invalid field is named.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "jobs",
    request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(mut job): ApiJson<Job>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    let mut problems = definition_problems(&job);
    let asset = match job.asset_id {
        None => {
            problems.push(FieldError {
                field: "asset_id".into(),
                rule: "is required: a job belongs to a registered asset".into(),
            });
            None
        }
        Some(id) => {
            let asset = state.store.asset(id).await?;
            if asset.is_none() {
                problems.push(FieldError {
                    field: "asset_id".into(),
                    rule: format!("names no registered asset (`{id}`)"),
                });
            }
            asset
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::validation(ValidationErrors(problems)));
    }
    let asset = asset.expect("checked above");
    caller.require_on_asset(&asset, Action::EditOwnAsset, Action::EditAnyAsset)?;
    job.id = Uuid::now_v7();
    let mut tx = state.store.begin().await?;
    tx.insert_job(&job, Utc::now()).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "job.created")
            .subject(job.id.to_string())
            .data(json!({
                "name": job.name,
                "asset_id": asset.id,
                "schedule": job.schedule,
                "secrets": job.secret_references().into_values().collect::<Vec<_>>(),
            })),
    );
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(job)))
}

/// One job, by id or name.
#[utoipa::path(get, path = "/api/v1/jobs/{job}", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> ApiResult<Json<Job>> {
    caller.require(Action::ViewAssets)?;
    Ok(Json(find_job(&state, &reference).await?))
}

/// Delete a job and its secrets; its run history stays until retention prunes it.
#[utoipa::path(delete, path = "/api/v1/jobs/{job}", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> ApiResult<StatusCode> {
    let job = find_job(&state, &reference).await?;
    require_change(&state, &caller, &job).await?;
    let mut tx = state.store.begin().await?;
    tx.delete_job(job.id).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "job.deleted")
            .subject(job.id.to_string())
            .data(json!({"name": job.name})),
    );
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change a job in place. The body is a JSON merge patch of the job definition: the fields
/// given replace the stored ones (objects such as `schedule` or `retry` merge field by
/// field), `null` returns a field to its default; `source` is replaced whole, since a git
/// source and a bundle share no fields. The result is validated like a new job; the id,
/// name and asset cannot be changed here.
#[utoipa::path(patch, path = "/api/v1/jobs/{job}", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
    ApiJson(patch): ApiJson<serde_json::Value>,
) -> ApiResult<Json<Job>> {
    let job = find_job(&state, &reference).await?;
    require_change(&state, &caller, &job).await?;
    let serde_json::Value::Object(fields) = &patch else {
        return Err(ApiError::bad_request(
            "the body must be a JSON object of the fields to change",
        ));
    };
    if fields.is_empty() {
        return Err(ApiError::bad_request("the body names no field to change"));
    }
    let mut problems = Vec::new();
    for fixed in ["id", "name", "asset_id"] {
        if fields.contains_key(fixed) {
            problems.push(FieldError {
                field: fixed.into(),
                rule: "cannot be changed by editing; create a new job instead".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(ValidationErrors(problems)));
    }
    let mut document = serde_json::to_value(&job).map_err(ApiError::internal)?;
    if fields.contains_key("source")
        && let Some(stored) = document.as_object_mut()
    {
        stored.remove("source");
    }
    merge_patch(&mut document, &patch);
    let mut edited: Job = serde_path_to_error::deserialize(document).map_err(|e| {
        let field = e.path().to_string();
        ApiError::field(
            if field == "." { "body" } else { &field },
            e.into_inner().to_string(),
        )
    })?;
    edited.id = job.id;
    let problems = definition_problems(&edited);
    if !problems.is_empty() {
        return Err(ApiError::validation(ValidationErrors(problems)));
    }
    let changed: Vec<&String> = fields.keys().collect();
    let mut tx = state.store.begin().await?;
    tx.update_job(&edited, Utc::now()).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "job.updated")
            .subject(job.id.to_string())
            .data(json!({
                "name": job.name,
                "fields": changed,
                "schedule": edited.schedule,
                "enabled": edited.enabled,
                "source": source_for_audit(&edited.source),
            })),
    );
    tx.commit().await?;
    Ok(Json(edited))
}

/// A source the server will not run: a directory names a path on the runner's own
/// machine, and through the API anyone who may edit an asset could otherwise have the
/// server's files (its data directory included) copied into a job they can read the log of.
fn source_problem(source: &JobSource) -> Option<FieldError> {
    matches!(source, JobSource::Directory { .. }).then(|| FieldError {
        field: "source".into(),
        rule: "a directory source names a path on the runner's machine and is for local \
               `corral jobs run` only; on a server use a git repository or upload a bundle \
               (`corral jobs bundle`)"
            .into(),
    })
}

/// RFC 7396: objects merge key by key, `null` removes, anything else replaces.
fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = serde_json::Value::Object(Default::default());
    }
    let target = target.as_object_mut().expect("made an object above");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(
                target.entry(key.clone()).or_insert(serde_json::Value::Null),
                value,
            );
        }
    }
}

/// A job's source as the audit log keeps it: a git URL without its credentials.
fn source_for_audit(source: &JobSource) -> serde_json::Value {
    match source {
        JobSource::Git {
            url,
            reference,
            subdirectory,
            token_secret,
            username,
        } => json!({
            "kind": "git",
            "url": corral_runner::git_source::redact_url(url),
            "ref": reference,
            "subdirectory": subdirectory,
            "token_secret": token_secret,
            "username": username,
        }),
        other => serde_json::to_value(other).unwrap_or_default(),
    }
}

/// Upload a `.tar.gz` of the job's files and make it the job's source. The archive is
/// checked (paths, links, entry types, unpacked size) before it is stored; a refused entry
/// is named in the error.
#[utoipa::path(put, path = "/api/v1/jobs/{job}/bundle", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    request_body(content = Vec<u8>, content_type = "application/gzip"),
    responses(
        (status = 200, body = Object, description = "The job with its new source"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Over max_bundle_bytes"),
        (status = 422, body = ErrorBody, description = "The archive was refused"),
    ),
    security(("bearer" = [])))]
pub async fn upload_bundle(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
    request: Request,
) -> ApiResult<Json<Job>> {
    let mut job = find_job(&state, &reference).await?;
    require_change(&state, &caller, &job).await?;
    let bytes = read_body(request, BUNDLE, state.max_bundle_bytes).await?;
    if bytes.is_empty() {
        return Err(ApiError::field("bundle", "the upload is empty"));
    }
    let data_dir = state.store.data_dir().to_path_buf();
    let size = bytes.len();
    let stored = tokio::task::spawn_blocking(move || {
        // Unpack once into a scratch directory: a bundle the runner would refuse is refused
        // now, while its author is looking.
        let scratch = data_dir
            .join("sources")
            .join(format!(".check-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
        let checked = corral_runner::bundle::unpack(&bytes[..], &scratch, UnpackLimits::default());
        let _ = std::fs::remove_dir_all(&scratch);
        if let Err(e) = checked {
            return Ok(Err(e.to_string()));
        }
        StoredSources::bundle_store(&data_dir)
            .put(&bytes)
            .map(Ok)
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let sha256 = stored.map_err(|refused| ApiError::field("bundle", refused))?;
    let previous = source_for_audit(&job.source);
    job.source = JobSource::Bundle {
        sha256: sha256.clone(),
    };
    let mut tx = state.store.begin().await?;
    tx.update_job(&job, Utc::now()).await?;
    tx.audit(
        AuditEntry::new(&caller.email, "job.bundle-uploaded")
            .subject(job.id.to_string())
            .data(json!({
                "name": job.name,
                "sha256": sha256,
                "bytes": size,
                "previous_source": previous,
            })),
    );
    tx.commit().await?;
    Ok(Json(job))
}

/// Run a job now ("run now"): the run is queued and a runner node starts it within a
/// second or so.
#[utoipa::path(post, path = "/api/v1/jobs/{job}/runs", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    responses((status = 202, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn trigger(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> ApiResult<(StatusCode, Json<Run>)> {
    let job = find_job(&state, &reference).await?;
    let run = run_now(&state, &caller.actor(), &job).await?;
    Ok((StatusCode::ACCEPTED, Json(run)))
}

/// A job's runs, newest first (without logs).
#[utoipa::path(get, path = "/api/v1/jobs/{job}/runs", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn runs(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> ApiResult<Json<Vec<Run>>> {
    caller.require(Action::ViewAssets)?;
    let job = find_job(&state, &reference).await?;
    Ok(Json(state.store.runs_of_job(job.id, RUNS_PAGE, 0).await?))
}

/// One run with its (masked) log.
#[utoipa::path(get, path = "/api/v1/runs/{id}", tag = "jobs",
    params(("id" = Uuid, Path, description = "Run id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Run>> {
    caller.require(Action::ViewAssets)?;
    let id = Uuid::parse_str(&id)
        .map_err(|_| ApiError::not_found(format!("no run `{id}`: run ids are UUIDs")))?;
    state
        .store
        .run_with_log(id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no run `{id}`")))
}

/// A secret's value, sent once.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretValueBody {
    pub value: String,
}

/// Set (or replace) one of a job's secrets. The value is sealed at once and never returned.
#[utoipa::path(put, path = "/api/v1/jobs/{job}/secrets/{name}", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name"), ("name" = String, Path, description = "Secret name")),
    request_body = SecretValueBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path((reference, name)): Path<(String, String)>,
    ApiJson(body): ApiJson<SecretValueBody>,
) -> ApiResult<StatusCode> {
    let job = find_job(&state, &reference).await?;
    require_change(&state, &caller, &job).await?;
    if let Err(e) = corral_secretbox::validate_secret_name(&name) {
        return Err(ApiError::field("name", e.to_string()));
    }
    if body.value.len() < MIN_MASKED_LEN {
        return Err(ApiError::field(
            "value",
            format!(
                "must be at least {MIN_MASKED_LEN} characters: shorter values cannot be masked \
                 in job logs"
            ),
        ));
    }
    let master = MasterKey::resolve(
        std::env::var(MASTER_KEY_ENV).ok().as_deref(),
        state.store.data_dir(),
    )
    .map_err(ApiError::internal)?;
    let sealed = SealedSecret::seal(&master, &sealing_name(job.id, &name), &body.value)
        .map_err(ApiError::internal)?;
    let mut tx = state.store.begin().await?;
    tx.set_job_secret(job.id, &name, &sealed, Utc::now())
        .await?;
    tx.audit(
        AuditEntry::new(&caller.email, "job.secret-set")
            .subject(job.id.to_string())
            .data(json!({"job": job.name, "secret": name})),
    );
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The names and dates of a job's secrets — never values.
#[utoipa::path(get, path = "/api/v1/jobs/{job}/secrets", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name")),
    responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn secrets(
    State(state): State<AppState>,
    caller: Caller,
    Path(reference): Path<String>,
) -> ApiResult<Json<Vec<JobSecretInfo>>> {
    caller.require(Action::ViewAssets)?;
    let job = find_job(&state, &reference).await?;
    Ok(Json(state.store.job_secret_names(job.id).await?))
}

/// Delete one of a job's secrets.
#[utoipa::path(delete, path = "/api/v1/jobs/{job}/secrets/{name}", tag = "jobs",
    params(("job" = String, Path, description = "Job id or name"), ("name" = String, Path, description = "Secret name")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path((reference, name)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let job = find_job(&state, &reference).await?;
    require_change(&state, &caller, &job).await?;
    let mut tx = state.store.begin().await?;
    if !tx.remove_job_secret(job.id, &name).await? {
        return Err(ApiError::not_found(format!(
            "job `{}` has no secret `{name}`",
            job.name
        )));
    }
    tx.audit(
        AuditEntry::new(&caller.email, "job.secret-removed")
            .subject(job.id.to_string())
            .data(json!({"job": job.name, "secret": name})),
    );
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
