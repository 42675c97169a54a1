//! The `[server.console]` section of `corral.toml`: sessions, cookies and sign-in limits.
//!
//! ```toml
//! [server.console]
//! secure_cookies = true            # Secure + __Host- cookies; false only for plain-http sites
//! session_idle_minutes = 60        # signed out after this long without a request
//! session_absolute_hours = 12      # signed out this long after signing in, whatever happens
//! max_failures_per_account = 5     # wrong passwords per account within the window
//! max_failures_per_client = 20     # wrong passwords per client address within the window
//! failure_window_minutes = 15
//! client_address_header = ""       # e.g. "x-forwarded-for" behind a reverse proxy
//! ```
//!
//! Browsers keep `Secure` cookies only from secure origins: `https://…`, and also
//! `http://localhost` and `http://127.0.0.1`, which they treat as secure. So the default
//! works for local use and behind a TLS-terminating proxy; a deployment reached over plain
//! HTTP from other machines must set `secure_cookies = false` (and should not exist).

use chrono::Duration;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Mark cookies `Secure` and give them the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Minutes without a request after which a session ends.
    pub session_idle_minutes: u32,
    /// Hours after sign-in after which a session ends however active it is.
    pub session_absolute_hours: u32,
    /// Failed sign-ins to one account, within the window, before it is refused.
    pub max_failures_per_account: u32,
    /// Failed sign-ins from one client address, within the window, before it is refused.
    pub max_failures_per_client: u32,
    /// The window failures are counted in, in minutes.
    pub failure_window_minutes: u32,
    /// A request header holding the client's address (the right-most entry is used), set by
    /// a reverse proxy in front of Corral; empty means the connection's peer address.
    pub client_address_header: String,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            max_failures_per_account: 5,
            max_failures_per_client: 20,
            failure_window_minutes: 15,
            client_address_header: String::new(),
        }
    }
}

impl ConsoleConfig {
    /// Checks the values the type system cannot.
    pub fn validate(&self) -> Result<(), String> {
        for (key, value) in [
            ("session_idle_minutes", self.session_idle_minutes),
            ("session_absolute_hours", self.session_absolute_hours),
            ("max_failures_per_account", self.max_failures_per_account),
            ("max_failures_per_client", self.max_failures_per_client),
            ("failure_window_minutes", self.failure_window_minutes),
        ] {
            if value == 0 {
                return Err(format!("[server.console] {key} must be at least 1"));
            }
        }
        if i64::from(self.session_idle_minutes) > i64::from(self.session_absolute_hours) * 60 {
            return Err(
                "[server.console] session_idle_minutes is longer than session_absolute_hours: \
                 sessions would never end for being idle"
                    .into(),
            );
        }
        Ok(())
    }

    pub fn idle(&self) -> Duration {
        Duration::minutes(i64::from(self.session_idle_minutes))
    }

    pub fn absolute(&self) -> Duration {
        Duration::hours(i64::from(self.session_absolute_hours))
    }

    pub fn failure_window(&self) -> Duration {
        Duration::minutes(i64::from(self.failure_window_minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_secure() {
        let config = ConsoleConfig::default();
        assert_eq!(config.validate(), Ok(()));
        assert!(config.secure_cookies);
        assert_eq!(config.max_failures_per_account, 5);
        assert_eq!(config.failure_window(), Duration::minutes(15));
    }

    #[test]
    fn zero_limits_and_an_idle_period_beyond_the_absolute_one_are_refused() {
        let zero = ConsoleConfig {
            max_failures_per_account: 0,
            ..Default::default()
        };
        assert!(
            zero.validate()
                .unwrap_err()
                .contains("max_failures_per_account")
        );
        let odd = ConsoleConfig {
            session_idle_minutes: 600,
            session_absolute_hours: 2,
            ..Default::default()
        };
        assert!(odd.validate().unwrap_err().contains("never end"));
    }
}
