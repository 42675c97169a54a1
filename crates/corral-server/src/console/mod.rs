//! The web console: server-rendered pages over the same workflow as `/api/v1`.
//!
//! Every page is plain HTML from a compiled template (`templates/`), styled by one embedded
//! stylesheet, with no JavaScript: links and forms do everything, so the console works in
//! any browser and every flow can be driven by a test with nothing but HTTP. Charts are SVG
//! drawn here ([`charts`]).
//!
//! Nothing in this module decides anything about the registry. A form is read, handed to the
//! workflow function the API handler calls too (`routes::assets::register_asset`,
//! `routes::reviews::act_on_review`, …) with the signed-in person as the
//! [`Actor`](crate::auth::Actor), and the outcome is rendered. So validation, the policy's
//! decision, the audit entry naming the person and the notification event are the API's,
//! by construction.
//!
//! - Signing in: [`sign_in`] (passwords), [`oidc_sign_in`] (single sign-on), [`session`] (starting and recognising sessions),
//!   [`sign_in_limit`] (rate limits), [`cookies`], [`csrf`], [`client_address`].
//! - The frame: [`page`] (navigation, rendering, error pages), [`security_headers`],
//!   [`static_files`], [`form`], [`badges`], [`time_text`], [`pager`], [`charts`].
//! - Pages, one file each: [`dashboard`], [`register`], [`asset_list`], [`asset_detail`]
//!   (with [`asset_findings`]), [`reviews`], [`people`], [`packages`], [`jobs`],
//!   [`job_detail`], [`job_run`] (with [`job_health`]), [`audit`], [`settings`], and the
//!   package gate's [`gate_requests`] and [`gate_decisions`].

pub mod asset_detail;
pub mod asset_findings;
pub mod asset_list;
pub mod audit;
pub mod badges;
pub mod charts;
pub mod client_address;
pub mod config;
pub mod cookies;
pub mod csrf;
pub mod dashboard;
pub mod form;
pub mod gate_decisions;
pub mod gate_requests;
pub mod job_detail;
pub mod job_health;
pub mod job_run;
pub mod jobs;
pub mod oidc_sign_in;
pub mod packages;
pub mod page;
pub mod pager;
pub mod people;
pub mod register;
pub mod reviews;
pub mod security_headers;
pub mod session;
pub mod settings;
pub mod sign_in;
pub mod sign_in_limit;
pub mod static_files;
pub mod time_text;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};

pub use config::ConsoleConfig;
pub use session::{ConsoleUser, StartedSession, start_session};

use crate::state::AppState;

/// Every console route as (method, path), for the test that checks each page renders.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/"),
    ("get", "/sign-in"),
    ("post", "/sign-in"),
    ("post", "/sign-out"),
    ("get", "/auth/oidc/start"),
    ("get", "/auth/oidc/callback"),
    ("get", "/assets"),
    ("post", "/assets"),
    ("get", "/assets/new"),
    ("get", "/assets/{asset}"),
    ("post", "/assets/{asset}/attest"),
    ("get", "/reviews"),
    ("post", "/reviews/{review}/act"),
    ("get", "/people"),
    ("get", "/people/offboard"),
    ("post", "/people/offboard"),
    ("get", "/people/{email}"),
    ("get", "/packages"),
    ("get", "/jobs"),
    ("get", "/jobs/{job}"),
    ("post", "/jobs/{job}/run"),
    ("get", "/jobs/{job}/runs/{run}"),
    ("get", "/audit"),
    ("post", "/audit/verify"),
    ("get", "/settings"),
    ("post", "/settings/tokens"),
    ("post", "/settings/tokens/{id}/revoke"),
    ("post", "/settings/accounts"),
    ("post", "/settings/accounts/{email}/role"),
    ("post", "/settings/accounts/{email}/enabled"),
    ("get", "/static/{file}"),
    ("get", "/gate/requests"),
    ("post", "/gate/requests/{id}/decide"),
    ("get", "/gate/decisions"),
];

/// The console's routes, with its security headers.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/sign-in", get(sign_in::show).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/auth/oidc/start", get(oidc_sign_in::start))
        .route("/auth/oidc/callback", get(oidc_sign_in::callback))
        .route("/assets", get(asset_list::show).post(register::submit))
        .route("/assets/new", get(register::show))
        .route("/assets/{asset}", get(asset_detail::show))
        .route("/assets/{asset}/attest", post(asset_detail::attest))
        .route("/reviews", get(reviews::show))
        .route("/reviews/{review}/act", post(reviews::act))
        .route("/people", get(people::list))
        .route(
            "/people/offboard",
            get(people::offboard_preview).post(people::offboard_confirm),
        )
        .route("/people/{email}", get(people::show))
        .route("/packages", get(packages::show))
        .route("/jobs", get(jobs::show))
        .route("/jobs/{job}", get(job_detail::show))
        .route("/jobs/{job}/run", post(job_detail::run))
        .route("/jobs/{job}/runs/{run}", get(job_run::show))
        .route("/audit", get(audit::show))
        .route("/audit/verify", post(audit::verify))
        .route("/settings", get(settings::show))
        .route("/settings/tokens", post(settings::issue_token))
        .route("/settings/tokens/{id}/revoke", post(settings::revoke_token))
        .route("/settings/accounts", post(settings::add_account))
        .route(
            "/settings/accounts/{email}/role",
            post(settings::change_role),
        )
        .route(
            "/settings/accounts/{email}/enabled",
            post(settings::set_enabled),
        )
        .route("/static/{file}", get(static_files::serve))
        .route("/gate/requests", get(gate_requests::show))
        .route("/gate/requests/{id}/decide", post(gate_requests::decide))
        .route("/gate/decisions", get(gate_decisions::show))
        .layer(middleware::from_fn(security_headers::add))
}
