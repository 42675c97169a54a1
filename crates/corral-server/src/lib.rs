//! Corral's server: the `/api/v1` HTTP API over the registry workflow, authentication and
//! role checks, the audit endpoints, and notification delivery.
//!
//! The server holds no workflow rules of its own: validation, the tier policy, reviews,
//! attestations and hand-overs are `corral_model`'s; persistence, the audit log and the
//! outbox are `corral_store`'s. What lives here is the translation between HTTP and those
//! (routes, [`error`], [`json`], [`auth`]), the background work ([`notify`], [`overdue`],
//! the job [`runner`], the advisory [`monitor`]), screening uploads for secrets
//! ([`secret_screen`]),
//! and starting the whole thing ([`serve`]).
//!
//! - [`app`]: the router and metrics middleware; [`routes`]: one file per resource.
//! - [`console`]: the web console's pages and sign-in, over the same workflow functions;
//!   [`accounts`] and [`password`]: console accounts, shared with `corral users`.
//! - [`openapi`]: the generated OpenAPI document.
//! - [`config`]: the `[server]` section; [`notify::config`]: the `[notify]` section.

pub mod accounts;
pub mod app;
pub mod auth;
pub mod body_limit;
pub mod config;
pub mod console;
pub mod error;
pub mod gate_requests;
pub mod json;
pub mod metrics;
pub mod monitor;
pub mod notify;
pub mod oidc;
pub mod openapi;
pub mod overdue;
pub mod password;
pub mod routes;
pub mod runner;
pub mod secret_screen;
pub mod serve;
pub mod state;

pub use config::ServerConfig;
pub use notify::NotifyConfig;
pub use serve::{Drain, Mount, Mounted, Running, ServeError, ServeOptions, start, start_with};
