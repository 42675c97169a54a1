//! When to try a failed delivery again.
//!
//! Exponential backoff: the first retry waits `initial`, each further one twice as long, up
//! to `max`. No random jitter: one dispatcher per server delivers in order, so there is no
//! thundering herd to spread out, and a fixed schedule is one people can predict from
//! `corral notify status` ("next attempt at …").

use std::time::Duration;

/// The wait before attempt `attempt + 1`, after `attempt` failed attempts (from 1).
pub fn delay_after(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let exponent = attempt.saturating_sub(1).min(30);
    initial
        .checked_mul(1u32 << exponent)
        .map(|d| d.min(max))
        .unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_retry_waits_twice_as_long_up_to_the_maximum() {
        let s = Duration::from_secs;
        let waits: Vec<_> = (1..=7).map(|a| delay_after(a, s(5), s(120))).collect();
        assert_eq!(waits, [s(5), s(10), s(20), s(40), s(80), s(120), s(120)]);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let d = delay_after(u32::MAX, Duration::from_secs(5), Duration::from_secs(3600));
        assert_eq!(d, Duration::from_secs(3600));
    }
}
