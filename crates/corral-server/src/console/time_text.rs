//! Times as people read them on a page: dates, "in 3 days", and review SLA clocks.
//!
//! Times are shown in UTC with the zone written out, the same way the API and the
//! notifications state them, so a deadline read on a page matches the one in a chat
//! message.

use chrono::{DateTime, Duration, Utc};

/// `2026-03-02`.
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// `2026-03-02 14:05 UTC`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A length of time in its largest whole unit: `3 days`, `1 hour`, `12 minutes`.
pub fn span(d: Duration) -> String {
    let d = d.abs();
    let (n, unit) = if d.num_days() >= 1 {
        (d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        (d.num_hours(), "hour")
    } else {
        (d.num_minutes().max(1), "minute")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// `in 3 days` or `2 hours ago`.
pub fn relative(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at >= now {
        format!("in {}", span(at - now))
    } else {
        format!("{} ago", span(now - at))
    }
}

/// How a deadline stands: its words and the class that colours it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub text: String,
    pub class: &'static str,
    pub overdue: bool,
}

/// The SLA clock of something due at `due`: overdue (red), due within a day (amber), or
/// due later.
pub fn sla_clock(due: DateTime<Utc>, now: DateTime<Utc>) -> Clock {
    if now > due {
        Clock {
            text: format!("overdue by {}", span(now - due)),
            class: "clock clock-overdue",
            overdue: true,
        }
    } else if due - now <= Duration::days(1) {
        Clock {
            text: format!("due in {}", span(due - now)),
            class: "clock clock-soon",
            overdue: false,
        }
    } else {
        Clock {
            text: format!("due in {}", span(due - now)),
            class: "clock clock-ok",
            overdue: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    #[test]
    fn spans_use_their_largest_whole_unit() {
        assert_eq!(span(Duration::days(3) + Duration::hours(5)), "3 days");
        assert_eq!(span(Duration::hours(1)), "1 hour");
        assert_eq!(span(Duration::seconds(20)), "1 minute");
        assert_eq!(relative(t(5, 0, 0), t(2, 0, 0)), "in 3 days");
        assert_eq!(relative(t(2, 0, 0), t(2, 2, 0)), "2 hours ago");
    }

    #[test]
    fn clocks_turn_amber_within_a_day_and_red_when_overdue() {
        let now = t(10, 12, 0);
        let ok = sla_clock(t(13, 12, 0), now);
        assert_eq!(
            (ok.text.as_str(), ok.class),
            ("due in 3 days", "clock clock-ok")
        );
        let soon = sla_clock(t(10, 17, 0), now);
        assert_eq!(soon.text, "due in 5 hours");
        assert_eq!(soon.class, "clock clock-soon");
        let late = sla_clock(t(8, 12, 0), now);
        assert_eq!(late.text, "overdue by 2 days");
        assert!(late.overdue);
    }

    #[test]
    fn dates_are_written_in_utc() {
        assert_eq!(date_time(t(2, 14, 5)), "2026-03-02 14:05 UTC");
        assert_eq!(date(t(2, 14, 5)), "2026-03-02");
    }
}
