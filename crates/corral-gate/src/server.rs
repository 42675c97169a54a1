//! The gate's HTTP face: the simple index routes, under a path prefix (`/simple`).
//!
//! - `GET {prefix}/`: the projects the gate has seen (PEP 503 root).
//! - `GET {prefix}/{project}/`: the project page, HTML or JSON by `Accept` (PEP 691), with
//!   `Vary: Accept`. A name not in PEP 503 normal form redirects (301) to the normal form.
//! - `GET {prefix}/-files/{project}/{sha256}/{filename}`: a file; `…/{filename}.metadata`: its
//!   PEP 658 metadata. A project name cannot start with `-`, so the two never collide (and, unlike
//!   `+`, clients never percent-encode it).
//!
//! Status codes follow what clients do with them: a missing project is a 404 (uv then tries
//! its next index), a policy refusal of a file a 403 with the reason as the body, an upstream
//! failure or a hash mismatch a 502.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use corral_deps::name::{is_plausible, pep503};
use corral_model::Ecosystem;

use crate::render;
use crate::service::{Client, FileOutcome, Format, Gate, Lookup};

const JSON_V1: &str = "application/vnd.pypi.simple.v1+json";
const HTML_V1: &str = "application/vnd.pypi.simple.v1+html";

/// The gate's routes under `prefix` (e.g. `/simple`; no trailing slash).
pub fn router(gate: Gate, prefix: &str) -> Router {
    Router::new()
        .route(&format!("{prefix}/"), get(root))
        .route(&format!("{prefix}/{{project}}"), get(project_without_slash))
        .route(&format!("{prefix}/{{project}}/"), get(project))
        .route(
            &format!("{prefix}/-files/{{project}}/{{sha256}}/{{filename}}"),
            get(file),
        )
        .with_state(gate)
}

/// Serves `app` (the gate's router, possibly merged into a larger one) on `listener` until
/// `shutdown` resolves, recording each client's address.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The chosen representation and the `Content-Type` to answer with.
fn negotiate(accept: Option<&str>) -> Option<(Format, &'static str)> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Some((Format::Html, "text/html"));
    };
    let mut best: Option<(f32, usize, Format, &'static str)> = None;
    for (position, range) in accept.split(',').enumerate() {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0f32;
        for p in parts {
            if let Some(v) = p.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        let choice =
            match media.as_str() {
                "application/vnd.pypi.simple.v1+json"
                | "application/vnd.pypi.simple.latest+json" => (Format::Json, JSON_V1),
                "application/vnd.pypi.simple.v1+html"
                | "application/vnd.pypi.simple.latest+html" => (Format::Html, HTML_V1),
                "text/html" | "text/*" | "*/*" => (Format::Html, "text/html"),
                _ => continue,
            };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((bq, _, _, _)) => q > bq,
        };
        if better {
            best = Some((q, position, choice.0, choice.1));
        }
    }
    best.map(|(_, _, f, ct)| (f, ct))
}

fn client(headers: &HeaderMap, request_addr: Option<SocketAddr>) -> Client {
    let user = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| decode_base64(b64.trim()))
        .and_then(|creds| creds.split(':').next().map(str::to_string))
        .filter(|u| !u.is_empty());
    Client {
        user,
        address: request_addr.map(|a| a.ip().to_string()),
        agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// Standard base64 (for the user name of HTTP basic credentials; the password is dropped).
fn decode_base64(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    String::from_utf8(out).ok()
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{body}\n"),
    )
        .into_response()
}

fn addr_of(request: &Request) -> Option<SocketAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

async fn root(State(gate): State<Gate>, request: Request) -> Response {
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let Some((format, content_type)) = negotiate(accept) else {
        return not_acceptable();
    };
    let names = gate.project_names().await;
    let body = match format {
        Format::Json => render::root_json(&names),
        Format::Html => render::root_html(&names),
    };
    page_response(content_type, body)
}

fn not_acceptable() -> Response {
    text(
        StatusCode::NOT_ACCEPTABLE,
        format!("this index serves {JSON_V1}, {HTML_V1} and text/html"),
    )
}

fn page_response(content_type: &'static str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

fn redirect(location: &str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The normal form of `raw`, or a 400 response naming the problem.
fn checked_name(raw: &str) -> Result<String, Box<Response>> {
    if !is_plausible(Ecosystem::PyPI, raw) {
        let shown: String = raw.chars().take(80).collect();
        return Err(Box::new(text(
            StatusCode::BAD_REQUEST,
            format!(
                "`{}` is not a valid project name: names use letters, digits, `-`, `_` and `.`, and start and end with a letter or digit",
                shown.escape_default()
            ),
        )));
    }
    Ok(pep503(raw))
}

async fn project_without_slash(Path(raw): Path<String>) -> Response {
    match checked_name(&raw) {
        Ok(name) => redirect(&format!("{name}/")),
        Err(r) => *r,
    }
}

async fn project(State(gate): State<Gate>, Path(raw): Path<String>, request: Request) -> Response {
    let name = match checked_name(&raw) {
        Ok(n) => n,
        Err(r) => return *r,
    };
    if name != raw {
        return redirect(&format!("../{name}/"));
    }
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let Some((format, content_type)) = negotiate(accept) else {
        return not_acceptable();
    };
    let client = client(request.headers(), addr_of(&request));
    match gate.project(&name).await {
        Lookup::Found(state) => {
            let page = gate.render_page(&state, format, &client).await;
            page_response(content_type, page.body)
        }
        Lookup::NotFound => {
            gate.record_not_found(&name, &client).await;
            text(
                StatusCode::NOT_FOUND,
                format!("`{name}` does not exist on any upstream index this gate uses"),
            )
        }
        Lookup::Unavailable(reason) => text(
            StatusCode::BAD_GATEWAY,
            format!("no upstream index answered and `{name}` is not cached: {reason}"),
        ),
    }
}

async fn file(
    State(gate): State<Gate>,
    Path((raw, sha256, filename)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let name = match checked_name(&raw) {
        Ok(n) => n,
        Err(r) => return *r,
    };
    let (filename, metadata) = match filename.strip_suffix(".metadata") {
        Some(f) => (f.to_string(), true),
        None => (filename, false),
    };
    let client = client(request.headers(), addr_of(&request));
    match gate
        .file(&name, &sha256, &filename, metadata, &client)
        .await
    {
        FileOutcome::Bytes(bytes) => {
            let content_type = if metadata {
                "text/plain; charset=utf-8"
            } else {
                "application/octet-stream"
            };
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
        FileOutcome::Refused(reason) => text(
            StatusCode::FORBIDDEN,
            format!("blocked by policy: {reason}"),
        ),
        FileOutcome::NotFound(reason) => text(StatusCode::NOT_FOUND, reason),
        FileOutcome::BadGateway(reason) => text(StatusCode::BAD_GATEWAY, reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_headers_choose_json_or_html_by_quality() {
        let pip = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
        assert_eq!(negotiate(Some(pip)), Some((Format::Json, JSON_V1)));
        assert_eq!(
            negotiate(Some("text/html;q=0.9, application/vnd.pypi.simple.v1+html")),
            Some((Format::Html, HTML_V1))
        );
        assert_eq!(negotiate(None), Some((Format::Html, "text/html")));
        assert_eq!(negotiate(Some("*/*")), Some((Format::Html, "text/html")));
        assert_eq!(negotiate(Some("application/xml")), None);
        assert_eq!(
            negotiate(Some("application/vnd.pypi.simple.v1+json;q=0, text/html")),
            Some((Format::Html, "text/html"))
        );
    }

    #[test]
    fn basic_credentials_yield_only_the_user_name() {
        assert_eq!(
            decode_base64("YW5hOnNlY3JldA==").as_deref(),
            Some("ana:secret")
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic YW5hOnNlY3JldA=="),
        );
        let c = client(&headers, None);
        assert_eq!(c.user.as_deref(), Some("ana"));
        assert!(!c.describe().contains("secret"));
    }
}
