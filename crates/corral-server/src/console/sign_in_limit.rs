//! Sign-in rate limiting: a few wrong passwords, then a pause.
//!
//! Failures count against the account that was tried and against the client address they
//! came from, each within a sliding window (by default 5 per account and 20 per address in
//! 15 minutes). Once either limit is reached, further attempts are refused *without checking
//! the password*, so guessing stops being possible rather than merely failing, and the
//! refusal says when the next attempt will be accepted: when the oldest failure in the
//! window leaves it. An account that does not exist is limited the same way, so the
//! answers do not reveal which accounts exist. A successful sign-in clears its account's
//! failures (not its address's).

use chrono::{DateTime, Duration, Utc};

use crate::console::config::ConsoleConfig;
use crate::error::ApiResult;
use crate::state::AppState;

/// The failure key of an account.
pub fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

/// The failure key of a client address.
pub fn client_key(address: &str) -> String {
    format!("client:{address}")
}

/// Why and until when sign-in is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub retry_at: DateTime<Utc>,
    /// `this account` or `your address`.
    pub what: &'static str,
}

impl Refusal {
    /// The sentence the sign-in page shows.
    pub fn message(&self, now: DateTime<Utc>) -> String {
        let minutes = ((self.retry_at - now).num_seconds().max(0) + 59) / 60;
        format!(
            "Too many failed sign-ins for {}. Try again after {} UTC (in {} minute{}).",
            self.what,
            self.retry_at.format("%H:%M"),
            minutes.max(1),
            if minutes > 1 { "s" } else { "" }
        )
    }
}

/// When attempts are allowed again for a key with `count` failures in the window, the
/// oldest at `oldest`; `None` while it is under `max`.
pub fn retry_at(
    count: u64,
    oldest: Option<DateTime<Utc>>,
    max: u32,
    window: Duration,
) -> Option<DateTime<Utc>> {
    if count < u64::from(max) {
        return None;
    }
    oldest.map(|t| t + window)
}

/// Whether a sign-in to `email` from `client` may be attempted at `now`.
pub async fn check(
    state: &AppState,
    email: &str,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<Option<Refusal>> {
    let config: &ConsoleConfig = &state.console;
    let since = now - config.failure_window();
    let mut limits = vec![(
        account_key(email),
        config.max_failures_per_account,
        "this account",
    )];
    if let Some(client) = client {
        limits.push((
            client_key(client),
            config.max_failures_per_client,
            "your address",
        ));
    }
    let mut refusal: Option<Refusal> = None;
    for (key, max, what) in limits {
        let failures = state.store.sign_in_failures(&key, since).await?;
        if let Some(at) = retry_at(
            failures.count,
            failures.oldest,
            max,
            config.failure_window(),
        ) && refusal.as_ref().is_none_or(|r| at > r.retry_at)
        {
            refusal = Some(Refusal { retry_at: at, what });
        }
    }
    Ok(refusal)
}

/// Records a failed sign-in to `email` from `client` at `now`.
pub async fn record_failure(
    state: &AppState,
    email: &str,
    client: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut keys = vec![account_key(email)];
    if let Some(client) = client {
        keys.push(client_key(client));
    }
    let forget_before = now - state.console.failure_window();
    state
        .store
        .record_sign_in_failure(&keys, now, forget_before)
        .await?;
    Ok(())
}

/// Forgets `email`'s failures after it signed in.
pub async fn record_success(state: &AppState, email: &str) -> ApiResult<()> {
    state
        .store
        .clear_sign_in_failures(&account_key(email))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn attempts_resume_when_the_oldest_failure_leaves_the_window() {
        let t = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let window = Duration::minutes(15);
        assert_eq!(retry_at(4, Some(t), 5, window), None);
        assert_eq!(retry_at(5, Some(t), 5, window), Some(t + window));
        assert_eq!(retry_at(9, Some(t), 5, window), Some(t + window));
    }

    #[test]
    fn the_refusal_says_when_to_come_back() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 3, 30).unwrap();
        let refusal = Refusal {
            retry_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 15, 0).unwrap(),
            what: "this account",
        };
        assert_eq!(
            refusal.message(now),
            "Too many failed sign-ins for this account. Try again after 09:15 UTC (in 12 \
             minutes)."
        );
        let soon = Refusal {
            retry_at: now + Duration::seconds(20),
            what: "your address",
        };
        assert!(soon.message(now).ends_with("(in 1 minute)."));
    }

    #[test]
    fn keys_ignore_the_case_of_the_e_mail() {
        assert_eq!(account_key(" Ana@Example.com"), "account:ana@example.com");
        assert_eq!(client_key("10.0.0.7"), "client:10.0.0.7");
    }
}
