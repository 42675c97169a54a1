//! The OpenAPI document, generated from the handlers' annotations and the wire types.
//!
//! Served at `/api/v1/openapi.json`. Nothing here is written by hand but the list of paths:
//! a handler missing from it fails the test that compares this list with the router.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    advisories, assets, audit, findings, heartbeats, jobs, notifications, packages, people,
    reviews, scans, system, tokens,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Corral API",
        description = "The registry of AI-built assets, its approval workflow, the audit log and notifications. \
                       Every /api/v1 endpoint except openapi.json needs `Authorization: Bearer <token>`.",
    ),
    paths(
        assets::register, assets::list, assets::show, assets::edit, assets::decisions,
        assets::override_risk, assets::attest, assets::overdue_attestations,
        scans::upload, scans::history, findings::list, findings::components, findings::counts,
        packages::search,
        advisories::status, advisories::import, advisories::affected,
        reviews::list, reviews::act,
        people::show, people::offboard,
        audit::events, audit::proof, audit::verify,
        tokens::list, tokens::issue, tokens::revoke,
        notifications::status,
        jobs::list, jobs::create, jobs::show, jobs::delete, jobs::edit, jobs::upload_bundle,
        jobs::runs, jobs::trigger,
        jobs::secrets, jobs::set_secret, jobs::remove_secret, jobs::run,
        heartbeats::list, heartbeats::create,
        system::healthz, system::metrics, system::openapi, system::whoami,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "assets", description = "Register, find and change AI-built assets"),
        (name = "reviews", description = "Security reviews and dual sign-off"),
        (name = "attestations", description = "Owners confirm their assets every period"),
        (name = "scans", description = "Uploaded scans, findings per asset, inventories and who uses a package"),
        (name = "advisories", description = "The server's advisory data and the assets it affects"),
        (name = "people", description = "Ownership and off-boarding"),
        (name = "audit", description = "The tamper-evident log"),
        (name = "tokens", description = "API tokens (admins)"),
        (name = "notifications", description = "Slack and webhook delivery status"),
        (name = "jobs", description = "Scheduled jobs, their runs, logs and secrets"),
        (name = "heartbeats", description = "Checks for jobs that still run elsewhere"),
        (name = "system", description = "Health, metrics and this document"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A Corral API token (`corral_…`)"))
                    .build(),
            ),
        );
    }
}
