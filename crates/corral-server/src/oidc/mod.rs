//! Single sign-on through an OpenID Connect provider (authorization code flow with PKCE).
//!
//! - [`config`]: the `[oidc]` section and the group-to-role mapping.
//! - [`provider`]: discovery, the authorization URL, the code exchange and ID-token checks.
//! - [`pending_cookie`]: carrying the pending sign-in in the browser between the two.

pub mod config;
pub mod pending_cookie;
pub mod provider;

pub use config::{OidcConfig, OidcConfigError, OidcSettings};
pub use provider::{Identity, OidcError, OidcProvider, PendingLogin};
