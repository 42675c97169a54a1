//! Retry decisions and exponential backoff.
//!
//! Attempt `n` (1-based) may be followed by another while `n <= max_retries`; the `k`-th
//! retry waits `initial_delay × multiplier^(k-1)`, capped at `max_delay`. No jitter: with
//! one runner claiming each run there is no thundering herd to spread, and predictable
//! delays are easier to explain in the run history ("retry 2 of 3 at 07:04").

use chrono::Duration;

use crate::records::RetryPolicy;

impl RetryPolicy {
    /// Whether a failed attempt number `attempt` (1 for the first run) gets another try.
    pub fn allows_another(&self, attempt: u32) -> bool {
        attempt <= self.max_retries
    }

    /// How long to wait before retry number `retry` (1 for the first retry).
    pub fn delay_before(&self, retry: u32) -> Duration {
        let factor = self
            .multiplier
            .max(1.0)
            .powi(retry.saturating_sub(1).min(64) as i32);
        let seconds =
            (self.initial_delay_seconds as f64 * factor).min(self.max_delay_seconds as f64);
        Duration::milliseconds((seconds * 1000.0) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_until_the_cap() {
        let policy = RetryPolicy {
            max_retries: 6,
            initial_delay_seconds: 30,
            multiplier: 2.0,
            max_delay_seconds: 300,
        };
        let delays: Vec<_> = (1..=6)
            .map(|k| policy.delay_before(k).num_seconds())
            .collect();
        assert_eq!(delays, [30, 60, 120, 240, 300, 300]);
    }

    #[test]
    fn the_last_allowed_attempt_gets_no_further_retry() {
        let policy = RetryPolicy {
            max_retries: 2,
            ..RetryPolicy::default()
        };
        assert!(policy.allows_another(1));
        assert!(policy.allows_another(2));
        assert!(!policy.allows_another(3));
        assert!(!RetryPolicy::default().allows_another(1));
    }
}
