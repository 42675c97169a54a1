//! The `[server.oidc]` section of `corral.toml`: single sign-on through an OpenID Connect provider.
//!
//! ```toml
//! [server.oidc]
//! issuer = "https://login.example.com/realms/acme"   # the provider's issuer URL (discovery)
//! client_id = "corral"
//! client_secret_env = "CORRAL_OIDC_CLIENT_SECRET"   # the secret itself never sits in the file
//! redirect_url = "https://corral.example.com/auth/oidc/callback"
//! scopes = ["openid", "email", "profile"]
//! groups_claim = "groups"          # the ID-token claim listing the person's groups
//! default_role = "member"          # role for someone in none of the mapped groups ("none" refuses)
//!
//! [server.oidc.roles]                   # group -> Corral role
//! "corral-admins" = "admin"
//! "appsec" = "security-reviewer"
//! ```
//!
//! Single sign-on is off while `issuer` is empty. When a person's groups map to several roles,
//! the strongest wins, in the order admin, security-reviewer, business-approver, auditor,
//! member: a reviewer who is also in a members' group signs in as a reviewer.

use std::collections::BTreeMap;

use corral_model::Role;
use serde::{Deserialize, Serialize};

/// `[server.oidc]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OidcConfig {
    /// The provider's issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// The environment variable holding the client secret; empty for a public client, which
    /// then relies on PKCE alone.
    pub client_secret_env: String,
    /// Where the provider sends the browser back: this server's `/auth/oidc/callback`, as the
    /// browser reaches it, registered at the provider.
    pub redirect_url: String,
    pub scopes: Vec<String>,
    /// The claim that lists the person's groups (a list of strings, or one string).
    pub groups_claim: String,
    /// Group name -> role name.
    pub roles: BTreeMap<String, String>,
    /// The role of someone in none of the mapped groups; `"none"` refuses them.
    pub default_role: String,
    /// The name shown on the sign-in button.
    pub display_name: String,
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            client_id: String::new(),
            client_secret_env: String::new(),
            redirect_url: String::new(),
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
            groups_claim: "groups".into(),
            roles: BTreeMap::new(),
            default_role: "member".into(),
            display_name: "single sign-on".into(),
        }
    }
}

/// A configuration mistake, named so the operator can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcConfigError {
    #[error("[server.oidc] {0} is required when issuer is set")]
    Missing(&'static str),
    #[error("[server.oidc] {key} = `{value}` is not a URL: {reason}")]
    NotUrl {
        key: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "[server.oidc] {key} = `{value}` must use https (plain http is accepted only for 127.0.0.1 and localhost)"
    )]
    NotHttps { key: &'static str, value: String },
    #[error("[server.oidc] role `{role}` for {place} is not a Corral role (use one of: {known})")]
    UnknownRole {
        place: String,
        role: String,
        known: String,
    },
    #[error("[server.oidc] scopes must include `openid`")]
    NoOpenIdScope,
    #[error("[server.oidc] the environment variable {0} named by client_secret_env is not set")]
    SecretUnset(String),
}

/// What the rest of the server needs from `[server.oidc]`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub groups_claim: String,
    pub roles: BTreeMap<String, Role>,
    pub default_role: Option<Role>,
    pub display_name: String,
}

impl OidcConfig {
    /// Whether single sign-on is configured at all.
    pub fn enabled(&self) -> bool {
        !self.issuer.trim().is_empty()
    }

    /// Checks the section and reads the client secret from the environment through `env`.
    /// `Ok(None)` when single sign-on is off.
    pub fn settings(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<OidcSettings>, OidcConfigError> {
        if !self.enabled() {
            return Ok(None);
        }
        if self.client_id.trim().is_empty() {
            return Err(OidcConfigError::Missing("client_id"));
        }
        if self.redirect_url.trim().is_empty() {
            return Err(OidcConfigError::Missing("redirect_url"));
        }
        check_url("issuer", &self.issuer)?;
        check_url("redirect_url", &self.redirect_url)?;
        if !self.scopes.iter().any(|s| s == "openid") {
            return Err(OidcConfigError::NoOpenIdScope);
        }
        let client_secret = match self.client_secret_env.trim() {
            "" => None,
            var => Some(env(var).ok_or_else(|| OidcConfigError::SecretUnset(var.into()))?),
        };
        let mut roles = BTreeMap::new();
        for (group, role) in &self.roles {
            roles.insert(group.clone(), parse_role(role, format!("group `{group}`"))?);
        }
        let default_role = match self.default_role.as_str() {
            "none" => None,
            role => Some(parse_role(role, "default_role".into())?),
        };
        Ok(Some(OidcSettings {
            issuer: self.issuer.trim().to_string(),
            client_id: self.client_id.trim().to_string(),
            client_secret,
            redirect_url: self.redirect_url.trim().to_string(),
            scopes: self.scopes.clone(),
            groups_claim: self.groups_claim.clone(),
            roles,
            default_role,
            display_name: self.display_name.clone(),
        }))
    }
}

impl OidcSettings {
    /// The role for someone in `groups`: the strongest mapped role, else the default.
    pub fn role_for(&self, groups: &[String]) -> Option<Role> {
        groups
            .iter()
            .filter_map(|g| self.roles.get(g).copied())
            .min_by_key(|role| strength(*role))
            .or(self.default_role)
    }
}

/// Lower is stronger.
fn strength(role: Role) -> u8 {
    match role {
        Role::Admin => 0,
        Role::SecurityReviewer => 1,
        Role::BusinessApprover => 2,
        Role::Auditor => 3,
        Role::Member => 4,
    }
}

fn parse_role(value: &str, place: String) -> Result<Role, OidcConfigError> {
    value.parse().map_err(|_| OidcConfigError::UnknownRole {
        place,
        role: value.into(),
        known: Role::ALL.map(|r| r.as_str()).join(", "),
    })
}

fn check_url(key: &'static str, value: &str) -> Result<(), OidcConfigError> {
    let url = reqwest::Url::parse(value.trim()).map_err(|e| OidcConfigError::NotUrl {
        key,
        value: value.into(),
        reason: e.to_string(),
    })?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(OidcConfigError::NotHttps {
            key,
            value: value.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured() -> OidcConfig {
        OidcConfig {
            issuer: "https://login.example.com/realms/acme".into(),
            client_id: "corral".into(),
            client_secret_env: "SECRET_VAR".into(),
            redirect_url: "https://corral.example.com/auth/oidc/callback".into(),
            roles: BTreeMap::from([
                ("corral-admins".into(), "admin".into()),
                ("appsec".into(), "security-reviewer".into()),
                ("everyone".into(), "member".into()),
            ]),
            ..OidcConfig::default()
        }
    }

    fn env(var: &str) -> Option<String> {
        (var == "SECRET_VAR").then(|| "s3cret".to_string())
    }

    #[test]
    fn off_without_an_issuer() {
        assert_eq!(OidcConfig::default().settings(env), Ok(None));
    }

    #[test]
    fn reads_the_secret_from_the_named_variable() {
        let settings = configured().settings(env).unwrap().unwrap();
        assert_eq!(settings.client_secret.as_deref(), Some("s3cret"));
        let unset = OidcConfig {
            client_secret_env: "OTHER".into(),
            ..configured()
        };
        assert_eq!(
            unset.settings(env),
            Err(OidcConfigError::SecretUnset("OTHER".into()))
        );
    }

    #[test]
    fn the_strongest_mapped_role_wins_and_the_default_catches_the_rest() {
        let settings = configured().settings(env).unwrap().unwrap();
        let groups = |g: &[&str]| g.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            settings.role_for(&groups(&["everyone", "appsec"])),
            Some(Role::SecurityReviewer)
        );
        assert_eq!(
            settings.role_for(&groups(&["corral-admins", "appsec"])),
            Some(Role::Admin)
        );
        assert_eq!(settings.role_for(&groups(&["sales"])), Some(Role::Member));
        let strict = OidcConfig {
            default_role: "none".into(),
            ..configured()
        }
        .settings(env)
        .unwrap()
        .unwrap();
        assert_eq!(strict.role_for(&groups(&["sales"])), None);
    }

    #[test]
    fn refuses_unknown_roles_plain_http_and_missing_fields() {
        let bad_role = OidcConfig {
            roles: BTreeMap::from([("x".into(), "superuser".into())]),
            ..configured()
        };
        assert!(matches!(
            bad_role.settings(env),
            Err(OidcConfigError::UnknownRole { role, .. }) if role == "superuser"
        ));
        let http = OidcConfig {
            issuer: "http://login.example.com".into(),
            ..configured()
        };
        assert!(matches!(
            http.settings(env),
            Err(OidcConfigError::NotHttps { key: "issuer", .. })
        ));
        let local = OidcConfig {
            issuer: "http://127.0.0.1:9000".into(),
            ..configured()
        };
        assert!(local.settings(env).is_ok());
        let no_client = OidcConfig {
            client_id: String::new(),
            ..configured()
        };
        assert_eq!(
            no_client.settings(env),
            Err(OidcConfigError::Missing("client_id"))
        );
        let no_openid = OidcConfig {
            scopes: vec!["email".into()],
            ..configured()
        };
        assert_eq!(no_openid.settings(env), Err(OidcConfigError::NoOpenIdScope));
    }
}
