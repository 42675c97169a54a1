//! The `[notify]` section of `corral.toml`: where events go, and how hard to try.
//!
//! ```toml
//! [notify]
//! max_attempts = 8            # then the delivery is marked failed
//! initial_backoff_secs = 5    # first retry; each next one waits twice as long
//! max_backoff_secs = 3600
//!
//! [[notify.targets]]
//! name = "security-channel"
//! kind = "slack"              # Slack-compatible incoming webhook
//! url = "https://hooks.example.com/T000/B000/XXXX"
//! events = ["review-requested", "review-overdue", "decision"]
//!
//! [[notify.targets]]
//! name = "ticketing"
//! kind = "webhook"            # generic JSON webhook
//! url = "https://tickets.example.com/hooks/corral"
//! secret_env = "CORRAL_TICKETING_SECRET"   # HMAC-SHA256 signing key, read from the environment
//!
//! [[notify.targets]]
//! name = "ops-mail"
//! kind = "email"              # SMTP, to the organisation's mail relay
//! url = "smtp://mail.internal:25"
//! from = "corral@example.com"
//! to = ["ops@example.com"]
//! events = ["job-alert", "job-recovered", "heartbeat-alert"]
//! ```
//!
//! E-mail goes over plain SMTP to the relay named by `url` (an internal relay, which handles
//! onward delivery and its encryption).
//!
//! A target with an empty `events` list receives every kind. Signing secrets are best given
//! through `secret_env` so they stay out of files; `secret` works too and is never printed.

use std::time::Duration;

use corral_model::{EventKind, RedactedSecret};
use serde::{Deserialize, Serialize};

/// Slack-compatible or generic JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Slack,
    Webhook,
    Email,
}

/// One place notifications go.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetConfig {
    /// A short name shown in delivery status, e.g. `security-channel`.
    pub name: String,
    pub kind: TargetKind,
    pub url: String,
    /// Event kinds this target receives; empty means all.
    #[serde(default)]
    pub events: Vec<EventKind>,
    /// HMAC-SHA256 signing secret (prefer `secret_env`).
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
    /// Name of an environment variable that holds the signing secret.
    #[serde(default)]
    pub secret_env: Option<String>,
    /// E-mail targets: the sender address.
    #[serde(default)]
    pub from: Option<String>,
    /// E-mail targets: the recipients.
    #[serde(default)]
    pub to: Vec<String>,
}

impl std::fmt::Debug for TargetConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TargetConfig")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("events", &self.events)
            .field("secret", &self.secret.as_deref().map(RedactedSecret::new))
            .field("secret_env", &self.secret_env)
            .field("from", &self.from)
            .field("to", &self.to)
            .finish()
    }
}

impl TargetConfig {
    pub fn wants(&self, kind: EventKind) -> bool {
        self.events.is_empty() || self.events.contains(&kind)
    }

    /// The signing key: `secret`, else the value of `secret_env`.
    pub fn signing_key(&self) -> Option<Vec<u8>> {
        if let Some(secret) = &self.secret {
            return Some(secret.as_bytes().to_vec());
        }
        let var = self.secret_env.as_deref()?;
        std::env::var(var).ok().map(String::into_bytes)
    }
}

/// The `[notify]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    /// Attempts per delivery before it is marked failed.
    pub max_attempts: u32,
    /// Wait before the first retry, in seconds (fractions allowed).
    pub initial_backoff_secs: f64,
    /// Longest wait between two attempts, in seconds.
    pub max_backoff_secs: f64,
    /// Per-attempt HTTP timeout, in seconds.
    pub timeout_secs: f64,
    /// How often the dispatcher looks for due deliveries when idle, in milliseconds.
    pub poll_interval_ms: u64,
    pub targets: Vec<TargetConfig>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff_secs: 5.0,
            max_backoff_secs: 3600.0,
            timeout_secs: 10.0,
            poll_interval_ms: 1000,
            targets: Vec::new(),
        }
    }
}

/// A `[notify]` value that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyConfigError {
    #[error("[notify] targets[{index}] ({name}): url `{url}` must start with http:// or https://")]
    BadUrl {
        index: usize,
        name: String,
        url: String,
    },
    #[error("[notify] targets[{index}] ({name}): {rule}")]
    BadEmail {
        index: usize,
        name: String,
        rule: String,
    },
    #[error("[notify] targets[{index}]: two targets are named `{name}`; names must be unique")]
    DuplicateName { index: usize, name: String },
    #[error("[notify] targets[{index}]: name is required (e.g. `security-channel`)")]
    MissingName { index: usize },
    #[error("[notify] targets[{index}] ({name}): secret_env `{var}` is not set in the environment")]
    MissingSecretEnv {
        index: usize,
        name: String,
        var: String,
    },
    #[error("[notify] {key} must be {rule}")]
    BadValue {
        key: &'static str,
        rule: &'static str,
    },
}

impl NotifyConfig {
    /// Checks what serde cannot: URLs, unique names, positive timings, secrets present.
    pub fn validate(&self) -> Result<(), NotifyConfigError> {
        if self.max_attempts == 0 {
            return Err(NotifyConfigError::BadValue {
                key: "max_attempts",
                rule: "at least 1",
            });
        }
        for (key, value) in [
            ("initial_backoff_secs", self.initial_backoff_secs),
            ("max_backoff_secs", self.max_backoff_secs),
            ("timeout_secs", self.timeout_secs),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(NotifyConfigError::BadValue {
                    key,
                    rule: "a positive number of seconds",
                });
            }
        }
        for (index, target) in self.targets.iter().enumerate() {
            if target.name.trim().is_empty() {
                return Err(NotifyConfigError::MissingName { index });
            }
            if self.targets[..index].iter().any(|t| t.name == target.name) {
                return Err(NotifyConfigError::DuplicateName {
                    index,
                    name: target.name.clone(),
                });
            }
            if target.kind == TargetKind::Email {
                let address = |a: &str| a.contains('@') && !a.trim().is_empty();
                let problem = if !target.url.starts_with("smtp://") {
                    Some(format!(
                        "url `{}` must name the mail relay as smtp://HOST:PORT",
                        target.url
                    ))
                } else if !target.from.as_deref().is_some_and(address) {
                    Some("`from` must be the sender's e-mail address".to_string())
                } else if target.to.is_empty() || !target.to.iter().all(|a| address(a)) {
                    Some("`to` must list one or more e-mail addresses".to_string())
                } else {
                    None
                };
                if let Some(rule) = problem {
                    return Err(NotifyConfigError::BadEmail {
                        index,
                        name: target.name.clone(),
                        rule,
                    });
                }
            } else if !(target.url.starts_with("http://") || target.url.starts_with("https://")) {
                return Err(NotifyConfigError::BadUrl {
                    index,
                    name: target.name.clone(),
                    url: target.url.clone(),
                });
            }
            if target.secret.is_none()
                && let Some(var) = &target.secret_env
                && std::env::var_os(var).is_none()
            {
                return Err(NotifyConfigError::MissingSecretEnv {
                    index,
                    name: target.name.clone(),
                    var: var.clone(),
                });
            }
        }
        Ok(())
    }

    pub fn target(&self, name: &str) -> Option<&TargetConfig> {
        self.targets.iter().find(|t| t.name == name)
    }

    pub fn initial_backoff(&self) -> Duration {
        Duration::from_secs_f64(self.initial_backoff_secs)
    }

    pub fn max_backoff(&self) -> Duration {
        Duration::from_secs_f64(self.max_backoff_secs)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> NotifyConfig {
        let table: serde_json::Value = serde_json::from_str(text).unwrap();
        serde_json::from_value(table).unwrap()
    }

    #[test]
    fn a_target_without_events_receives_every_kind() {
        let cfg = parse(
            r#"{"targets":[{"name":"all","kind":"webhook","url":"http://127.0.0.1:9/x"},
                {"name":"sec","kind":"slack","url":"http://127.0.0.1:9/y","events":["review-overdue"]}]}"#,
        );
        assert!(cfg.targets[0].wants(EventKind::Gate));
        assert!(cfg.targets[1].wants(EventKind::ReviewOverdue));
        assert!(!cfg.targets[1].wants(EventKind::Registration));
        assert_eq!(cfg.max_attempts, 8);
    }

    #[test]
    fn a_target_url_without_a_scheme_is_refused_by_index_and_name() {
        let cfg = parse(r#"{"targets":[{"name":"sec","kind":"slack","url":"hooks.example.com"}]}"#);
        let err = cfg.validate().unwrap_err().to_string();
        assert!(err.contains("targets[0] (sec)"), "{err}");
        assert!(err.contains("hooks.example.com"), "{err}");
    }

    #[test]
    fn an_unknown_event_kind_is_refused_with_the_list_of_kinds() {
        let err = serde_json::from_str::<NotifyConfig>(
            r#"{"targets":[{"name":"a","kind":"slack","url":"http://x","events":["reviews"]}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("reviews"), "{err}");
    }

    #[test]
    fn the_debug_form_never_shows_a_signing_secret() {
        let cfg = parse(
            r#"{"targets":[{"name":"a","kind":"webhook","url":"http://x","secret":"hunter2-very-long-secret"}]}"#,
        );
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("hunter2-very-long-secret"), "{shown}");
    }

    #[test]
    fn a_missing_secret_environment_variable_is_named() {
        let cfg = parse(
            r#"{"targets":[{"name":"a","kind":"webhook","url":"http://x","secret_env":"CORRAL_TEST_UNSET_SECRET_VAR"}]}"#,
        );
        let err = cfg.validate().unwrap_err().to_string();
        assert!(err.contains("CORRAL_TEST_UNSET_SECRET_VAR"), "{err}");
    }
}
