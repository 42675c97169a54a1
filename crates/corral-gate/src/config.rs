//! The `[gate]` section of `corral.toml`.
//!
//! ```toml
//! [gate]
//! listen = "127.0.0.1:8791"     # `corral gate serve` alone; `corral serve` mounts /simple/
//! page_ttl_seconds = 600        # how long a fetched project page is used before refetching
//! upstream_timeout_seconds = 30
//!
//! [[gate.upstream]]             # tried in order; the first that knows a project serves it
//! name = "main"
//! url = "https://pypi-mirror.internal/simple/"
//!
//! [gate.policy]                 # see `policy`
//! min_age_days = 7
//! ```
//!
//! No upstream is built in: an organisation names the indexes it trusts, or lets
//! `corral gate init` copy them from the pip configuration its developers already use.
//! Trying upstreams in order, rather than merging their pages, keeps a public name from
//! shadowing an internal one (dependency confusion).

use serde::{Deserialize, Serialize};

use crate::policy::PolicyConfig;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GateConfig {
    pub listen: String,
    pub page_ttl_seconds: u64,
    pub upstream_timeout_seconds: u64,
    pub upstream: Vec<Upstream>,
    pub policy: PolicyConfig,
}

impl Default for GateConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8791".into(),
            page_ttl_seconds: 600,
            upstream_timeout_seconds: 30,
            upstream: Vec::new(),
            policy: PolicyConfig::default(),
        }
    }
}

/// One upstream index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub name: String,
    /// The simple index root, e.g. `https://host/simple/`.
    pub url: String,
}

/// A configuration that cannot be used; each problem is named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid [gate] configuration:\n{}", .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
pub struct ConfigError {
    pub problems: Vec<String>,
}

impl GateConfig {
    /// Every problem with the section, or nothing.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        if self.upstream.is_empty() {
            problems.push(
                "no upstream index is configured: add a [[gate.upstream]] with `name` and `url`, or run `corral gate init` to copy it from your pip configuration".into(),
            );
        }
        for (i, u) in self.upstream.iter().enumerate() {
            if u.name.trim().is_empty() {
                problems.push(format!("upstream #{} has an empty name", i + 1));
            }
            match reqwest::Url::parse(&u.url) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => {}
                Ok(_) => problems.push(format!(
                    "upstream `{}`: `{}` is not an http(s) URL",
                    u.name, u.url
                )),
                Err(e) => problems.push(format!(
                    "upstream `{}`: `{}` is not a URL ({e})",
                    u.name, u.url
                )),
            }
        }
        if self.page_ttl_seconds == 0 {
            problems.push("page_ttl_seconds must be at least 1".into());
        }
        if let Err(errors) = self.policy.compile() {
            problems.extend(errors.into_iter().map(|e| format!("policy: {e}")));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { problems })
        }
    }
}

impl Upstream {
    /// The URL of `project`'s page on this upstream.
    pub fn project_url(&self, project: &str) -> Result<reqwest::Url, String> {
        let mut base = self.url.clone();
        if !base.ends_with('/') {
            base.push('/');
        }
        reqwest::Url::parse(&base)
            .and_then(|b| b.join(&format!("{project}/")))
            .map_err(|e| format!("upstream `{}`: {e}", self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_default_and_no_upstream_is_built_in() {
        let c: GateConfig = toml::from_str("").unwrap();
        assert_eq!(c, GateConfig::default());
        assert!(c.upstream.is_empty());
        let err = c.validate().unwrap_err();
        assert!(err.to_string().contains("corral gate init"), "{err}");
    }

    #[test]
    fn every_problem_is_named() {
        let c: GateConfig = toml::from_str(
            "page_ttl_seconds = 0\n[[upstream]]\nname = \"a\"\nurl = \"ftp://x/simple/\"\n[policy]\ndeny = [\"bad name\"]\n",
        )
        .unwrap();
        let err = c.validate().unwrap_err();
        assert_eq!(err.problems.len(), 3, "{err}");
        assert!(err.to_string().contains("not an http(s) URL"));
        assert!(err.to_string().contains("`bad name`"));
    }

    #[test]
    fn project_urls_join_under_the_root_with_or_without_a_slash() {
        let u = Upstream {
            name: "m".into(),
            url: "http://127.0.0.1:9/simple".into(),
        };
        assert_eq!(
            u.project_url("demo").unwrap().as_str(),
            "http://127.0.0.1:9/simple/demo/"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<GateConfig>("upstreams = []").is_err());
    }
}
