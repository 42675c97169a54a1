//! The `[server]` section of `corral.toml`.
//!
//! ```toml
//! [server]
//! listen = "127.0.0.1:8790"        # address and port to serve on
//! periodic_check_secs = 300        # how often overdue reviews and attestations are checked
//! admin_email = "admin@corral.local"   # the e-mail of the first admin token
//!
//! [server.console]                 # the web console's sessions: see console/config.rs
//! session_idle_minutes = 60
//!
//! [server.oidc]                    # single sign-on: see oidc/config.rs
//! issuer = "https://login.example.com/realms/acme"
//! max_body_bytes = 1048576         # largest request body (1 MiB), scan uploads excepted
//! max_scan_bytes = 33554432        # largest uploaded scan report (32 MiB)
//! max_advisory_bytes = 1073741824  # largest advisory upload, an OSV zip export (1 GiB)
//! max_bundle_bytes = 52428800      # largest uploaded job bundle, a .tar.gz (50 MiB)
//! advisory_watch_secs = 60         # how often the advisory data directory is checked
//! ```
//!
//! `advisory_watch_secs` is how soon the server notices advisory data written behind its
//! back (`corral db update` or `corral db import` run against its data directory) and
//! re-evaluates every stored inventory; 0 turns the watch off. Data imported through the
//! API is evaluated at once.
//!
//! The default listens on loopback only: exposing Corral to a network is a decision, made by
//! setting `listen = "0.0.0.0:8790"` (behind TLS termination) or `--listen`.

use serde::{Deserialize, Serialize};

use crate::console::ConsoleConfig;
use crate::oidc::OidcConfig;

/// Where the server listens by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8790";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: String,
    /// Seconds between two checks for overdue reviews and attestations.
    pub periodic_check_secs: u64,
    /// E-mail recorded for the admin token created on first start.
    pub admin_email: String,
    /// Largest request body accepted, in bytes (scan and advisory uploads have their own).
    pub max_body_bytes: usize,
    /// The web console's sessions, cookies and sign-in limits.
    pub console: ConsoleConfig,
    /// Single sign-on through an OpenID Connect provider; off while its issuer is empty.
    pub oidc: OidcConfig,
    /// Largest scan report `POST /api/v1/assets/{asset}/scans` accepts, in bytes.
    pub max_scan_bytes: usize,
    /// Largest advisory upload `POST /api/v1/advisories/import` accepts, in bytes.
    pub max_advisory_bytes: u64,
    /// Largest job bundle `PUT /api/v1/jobs/{job}/bundle` accepts, in bytes (compressed).
    pub max_bundle_bytes: usize,
    /// Seconds between two looks at the advisory data for changes made outside the API; 0
    /// turns the watch off.
    pub advisory_watch_secs: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN.into(),
            periodic_check_secs: 300,
            admin_email: "admin@corral.local".into(),
            max_body_bytes: 1024 * 1024,
            console: ConsoleConfig::default(),
            oidc: OidcConfig::default(),
            max_scan_bytes: 32 * 1024 * 1024,
            max_advisory_bytes: 1024 * 1024 * 1024,
            max_bundle_bytes: 50 * 1024 * 1024,
            advisory_watch_secs: 60,
        }
    }
}
