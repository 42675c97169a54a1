//! Corral's package gate: a PyPI-compatible index that serves only what policy allows.
//!
//! pip and uv point at the gate instead of an upstream index and notice nothing else: the
//! gate fetches each project's page from the configured upstreams ([`config`]), reads it in
//! either format ([`upstream_page`]), lets the [`policy`] decide per project, version and
//! file, and writes the page back in PEP 503 HTML or PEP 691 JSON as the client asked
//! ([`render`]), with every file linked through the gate. Files are fetched once, verified
//! against the upstream's SHA-256 and kept in the [`cache`]; pages are cached too, so what
//! was vetted keeps installing while the upstream is down.
//!
//! Every objection is recorded with its reason and the client that asked ([`recorder`]),
//! held-back projects open package requests a reviewer can approve, and approvals lift the
//! objections ([`service`]). [`server`] is the axum router, mountable under `/simple/` in
//! `corral serve` or served alone by `corral gate serve`; [`pip_config`] reads a developer's
//! pip configuration for `corral gate init`.

pub mod cache;
pub mod config;
pub mod package_rule;
pub mod page;
pub mod pip_config;
pub mod policy;
pub mod recorder;
pub mod render;
pub mod server;
pub mod service;
pub mod upstream_page;

pub use config::GateConfig;
pub use service::Gate;
