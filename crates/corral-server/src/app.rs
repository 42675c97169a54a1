//! The router: every endpoint, the web console, the request-size limit, and the metrics
//! middleware.

use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};

use crate::routes::{
    advisories, assets, audit, findings, heartbeats, jobs, notifications, packages, people,
    reviews, scans, system, tokens,
};
use crate::state::AppState;

/// Every route of the server, as (method, path) — the OpenAPI test compares it with the
/// document.
pub const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/assets"),
    ("get", "/api/v1/assets"),
    ("get", "/api/v1/assets/{asset}"),
    ("patch", "/api/v1/assets/{asset}"),
    ("get", "/api/v1/assets/{asset}/decisions"),
    ("post", "/api/v1/assets/{asset}/risk-override"),
    ("post", "/api/v1/assets/{asset}/attestations"),
    ("post", "/api/v1/assets/{asset}/scans"),
    ("get", "/api/v1/assets/{asset}/scans"),
    ("get", "/api/v1/assets/{asset}/findings"),
    ("get", "/api/v1/assets/{asset}/components"),
    ("get", "/api/v1/findings/counts"),
    ("get", "/api/v1/packages"),
    ("get", "/api/v1/advisories"),
    ("post", "/api/v1/advisories/import"),
    ("get", "/api/v1/advisories/{id}/assets"),
    ("get", "/api/v1/attestations/overdue"),
    ("get", "/api/v1/reviews"),
    ("post", "/api/v1/reviews/{review}/actions"),
    ("get", "/api/v1/people/{email}"),
    ("post", "/api/v1/people/offboard"),
    ("get", "/api/v1/audit/events"),
    ("get", "/api/v1/audit/events/{id}/proof"),
    ("get", "/api/v1/audit/verify"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{id}"),
    ("get", "/api/v1/notifications"),
    ("get", "/api/v1/jobs"),
    ("post", "/api/v1/jobs"),
    ("get", "/api/v1/jobs/{job}"),
    ("delete", "/api/v1/jobs/{job}"),
    ("patch", "/api/v1/jobs/{job}"),
    ("put", "/api/v1/jobs/{job}/bundle"),
    ("get", "/api/v1/jobs/{job}/runs"),
    ("post", "/api/v1/jobs/{job}/runs"),
    ("get", "/api/v1/jobs/{job}/secrets"),
    ("put", "/api/v1/jobs/{job}/secrets/{name}"),
    ("delete", "/api/v1/jobs/{job}/secrets/{name}"),
    ("get", "/api/v1/runs/{id}"),
    ("get", "/api/v1/heartbeats"),
    ("post", "/api/v1/heartbeats"),
    ("get", "/healthz"),
    ("get", "/metrics"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/whoami"),
];

/// The heartbeat ping endpoints: public (the check's id is the secret), for monitored jobs
/// rather than API clients, so outside `/api/v1` and its document. `{kind}` is `start`,
/// `fail` or an exit status.
pub const PING_ROUTES: &[(&str, &str)] = &[
    ("post", "/ping/{check}"),
    ("get", "/ping/{check}"),
    ("post", "/ping/{check}/{kind}"),
    ("get", "/ping/{check}/{kind}"),
];

/// The application with all routes.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/api/v1/assets", post(assets::register).get(assets::list))
        .route(
            "/api/v1/assets/{asset}",
            get(assets::show).patch(assets::edit),
        )
        .route("/api/v1/assets/{asset}/decisions", get(assets::decisions))
        .route(
            "/api/v1/assets/{asset}/risk-override",
            post(assets::override_risk),
        )
        .route("/api/v1/assets/{asset}/attestations", post(assets::attest))
        .route(
            "/api/v1/assets/{asset}/scans",
            post(scans::upload).get(scans::history),
        )
        .route("/api/v1/assets/{asset}/findings", get(findings::list))
        .route(
            "/api/v1/assets/{asset}/components",
            get(findings::components),
        )
        .route("/api/v1/findings/counts", get(findings::counts))
        .route("/api/v1/packages", get(packages::search))
        .route("/api/v1/advisories", get(advisories::status))
        .route("/api/v1/advisories/import", post(advisories::import))
        .route("/api/v1/advisories/{id}/assets", get(advisories::affected))
        .route(
            "/api/v1/attestations/overdue",
            get(assets::overdue_attestations),
        )
        .route("/api/v1/reviews", get(reviews::list))
        .route("/api/v1/reviews/{review}/actions", post(reviews::act))
        .route("/api/v1/people/offboard", post(people::offboard))
        .route("/api/v1/people/{email}", get(people::show))
        .route("/api/v1/audit/events", get(audit::events))
        .route("/api/v1/audit/events/{id}/proof", get(audit::proof))
        .route("/api/v1/audit/verify", get(audit::verify))
        .route("/api/v1/tokens", get(tokens::list).post(tokens::issue))
        .route("/api/v1/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/api/v1/notifications", get(notifications::status))
        .route("/api/v1/jobs", get(jobs::list).post(jobs::create))
        .route(
            "/api/v1/jobs/{job}",
            get(jobs::show).delete(jobs::delete).patch(jobs::edit),
        )
        .route(
            "/api/v1/jobs/{job}/bundle",
            axum::routing::put(jobs::upload_bundle),
        )
        .route(
            "/api/v1/jobs/{job}/runs",
            get(jobs::runs).post(jobs::trigger),
        )
        .route("/api/v1/jobs/{job}/secrets", get(jobs::secrets))
        .route(
            "/api/v1/jobs/{job}/secrets/{name}",
            axum::routing::put(jobs::set_secret).delete(jobs::remove_secret),
        )
        .route("/api/v1/runs/{id}", get(jobs::run))
        .route(
            "/api/v1/heartbeats",
            get(heartbeats::list).post(heartbeats::create),
        )
        .route(
            "/ping/{check}",
            get(heartbeats::ping).post(heartbeats::ping),
        )
        .route(
            "/ping/{check}/{kind}",
            get(heartbeats::ping_kind).post(heartbeats::ping_kind),
        )
        .route("/api/v1/openapi.json", get(system::openapi))
        .route("/api/v1/whoami", get(system::whoami))
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .merge(crate::console::router())
        .fallback(system::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            record_metrics,
        ))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(state)
}

async fn record_metrics(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(request).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}
