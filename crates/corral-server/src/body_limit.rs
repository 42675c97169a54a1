//! Reading upload bodies under limits of their own.
//!
//! Most requests are small and share the server's `max_body_bytes`. Scan reports and
//! advisory exports are larger and have their own limits (`max_scan_bytes`,
//! `max_advisory_bytes`); a body over its limit is refused with 413 and a sentence naming
//! the limit and the setting that raises it, before anything is stored. A declared
//! `Content-Length` over the limit is refused without reading the body; otherwise reading
//! stops as soon as the limit is passed. Advisory exports go to a file as they arrive
//! rather than into memory.

use std::path::Path;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use tokio::io::AsyncWriteExt;

use crate::error::{ApiError, ApiResult};

/// What is being uploaded, for messages: "scan report", and the setting that limits it.
#[derive(Debug, Clone, Copy)]
pub struct UploadKind {
    pub what: &'static str,
    pub setting: &'static str,
}

fn too_large(kind: UploadKind, limit: u64) -> ApiError {
    ApiError::too_large(format!(
        "the {} is larger than this server accepts ({limit} bytes); nothing was stored",
        kind.what
    ))
    .with_help(format!(
        "raise `{}` in the [server] section of corral.toml, or send a smaller {}",
        kind.setting, kind.what
    ))
}

/// Refuses a request whose declared length is over `limit`.
fn check_declared(request: &Request, kind: UploadKind, limit: u64) -> ApiResult<()> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > limit => Err(too_large(kind, limit)),
        _ => Ok(()),
    }
}

/// The whole body, at most `limit` bytes.
pub async fn read_body(request: Request, kind: UploadKind, limit: usize) -> ApiResult<Bytes> {
    check_declared(&request, kind, limit as u64)?;
    let limited = Limited::new(request.into_body(), limit);
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => {
            Err(too_large(kind, limit as u64))
        }
        Err(err) => Err(ApiError::bad_request(format!(
            "cannot read the {}: {err}",
            kind.what
        ))),
    }
}

/// Writes the body to `path` as it arrives, at most `limit` bytes; returns the size. The
/// file is removed if the body is refused.
pub async fn body_to_file(
    request: Request,
    kind: UploadKind,
    limit: u64,
    path: &Path,
) -> ApiResult<u64> {
    check_declared(&request, kind, limit)?;
    let result = copy_body(request.into_body(), kind, limit, path).await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(path).await;
    }
    result
}

async fn copy_body(mut body: Body, kind: UploadKind, limit: u64, path: &Path) -> ApiResult<u64> {
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(ApiError::internal)?;
    let mut written: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|err| {
            ApiError::bad_request(format!("cannot read the {}: {err}", kind.what))
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        written += data.len() as u64;
        if written > limit {
            return Err(too_large(kind, limit));
        }
        file.write_all(&data).await.map_err(ApiError::internal)?;
    }
    file.flush().await.map_err(ApiError::internal)?;
    Ok(written)
}
