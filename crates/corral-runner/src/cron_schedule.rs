//! Cron expressions in IANA time zones, with croner's daylight-saving semantics.
//!
//! Slots are computed on the zone's wall clock and returned as UTC instants. Across the
//! spring-forward gap a fixed-time slot that does not exist (02:30 on the night clocks jump
//! from 02:00 to 03:00) runs once, at the first valid time after the gap; across the
//! fall-back overlap a fixed-time slot inside the repeated hour runs once, on its first
//! occurrence. Interval patterns (`*/15 * * * *`, `30 * * * *`) follow elapsed time and fire
//! in both passes of a repeated hour, as croner (and the Open Cron Pattern Specification it
//! implements) defines.
//!
//! Only five-field expressions and the `@hourly`…`@yearly` nicknames are accepted: job
//! authors come from crontab, where a sixth field would mean something else.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("invalid cron expression `{cron}`: {reason}")]
    InvalidCron { cron: String, reason: String },
    #[error("unknown time zone `{0}`: use an IANA name such as Europe/Berlin or America/New_York")]
    UnknownTimeZone(String),
    #[error("cron expression `{0}` never matches a real date")]
    NeverMatches(String),
}

/// A parsed cron expression bound to its time zone.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    cron: Cron,
    zone: Tz,
    expression: String,
}

impl CronSchedule {
    pub fn parse(expression: &str, timezone: &str) -> Result<Self, ScheduleError> {
        let zone = Tz::from_str(timezone.trim())
            .map_err(|_| ScheduleError::UnknownTimeZone(timezone.into()))?;
        let trimmed = expression.trim();
        if trimmed.eq_ignore_ascii_case("@reboot") {
            return Err(ScheduleError::InvalidCron {
                cron: expression.into(),
                reason: "@reboot is not a time; a central runner has no reboot to follow".into(),
            });
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build()
            .parse(trimmed)
            .map_err(|e| ScheduleError::InvalidCron {
                cron: expression.into(),
                reason: e.to_string(),
            })?;
        let schedule = Self {
            cron,
            zone,
            expression: trimmed.into(),
        };
        // A pattern such as `0 0 30 2 *` parses but never fires; say so now, not at run time.
        let probe = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .expect("constant date")
            .with_timezone(&Utc);
        if schedule.next_after(probe).is_none() {
            return Err(ScheduleError::NeverMatches(expression.into()));
        }
        Ok(schedule)
    }

    pub fn expression(&self) -> &str {
        &self.expression
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The first slot strictly after `instant`.
    pub fn next_after(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = instant.with_timezone(&self.zone);
        self.cron
            .find_next_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The last slot at or before `instant`.
    pub fn latest_at_or_before(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = instant.with_timezone(&self.zone);
        self.cron
            .find_previous_occurrence(&local, true)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The last slot strictly before `instant`.
    pub fn previous_before(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = instant.with_timezone(&self.zone);
        self.cron
            .find_previous_occurrence(&local, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// Slots in `(after, until]`, oldest first, at most `limit` of them.
    pub fn slots_between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut cursor = after;
        while out.len() < limit {
            match self.next_after(cursor) {
                Some(slot) if slot <= until => {
                    out.push(slot);
                    cursor = slot;
                }
                _ => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn local(slots: &[DateTime<Utc>], zone: Tz) -> Vec<String> {
        slots
            .iter()
            .map(|s| s.with_timezone(&zone).format("%m-%d %H:%M %Z").to_string())
            .collect()
    }

    // Europe/Berlin 2026: clocks go 02:00 → 03:00 on 29 March, 03:00 → 02:00 on 25 October.
    // America/New_York 2026: 02:00 → 03:00 on 8 March, 02:00 → 01:00 on 1 November.

    #[test]
    fn a_daily_slot_inside_the_berlin_spring_gap_runs_once_at_the_next_valid_time() {
        let s = CronSchedule::parse("30 2 * * *", "Europe/Berlin").unwrap();
        let slots = s.slots_between(utc("2026-03-27T12:00:00Z"), utc("2026-03-30T12:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            ["03-28 02:30 CET", "03-29 03:00 CEST", "03-30 02:30 CEST"]
        );
    }

    #[test]
    fn a_daily_slot_inside_the_berlin_fall_back_hour_runs_once() {
        let s = CronSchedule::parse("30 2 * * *", "Europe/Berlin").unwrap();
        let slots = s.slots_between(utc("2026-10-23T12:00:00Z"), utc("2026-10-27T12:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            [
                "10-24 02:30 CEST",
                "10-25 02:30 CEST",
                "10-26 02:30 CET",
                "10-27 02:30 CET"
            ]
        );
    }

    #[test]
    fn a_new_york_slot_in_the_march_gap_runs_once_after_it() {
        let s = CronSchedule::parse("15 2 * * *", "America/New_York").unwrap();
        let slots = s.slots_between(utc("2026-03-07T12:00:00Z"), utc("2026-03-09T12:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            ["03-08 03:00 EDT", "03-09 02:15 EDT"]
        );
    }

    #[test]
    fn a_new_york_slot_in_the_repeated_november_hour_runs_once() {
        let s = CronSchedule::parse("30 1 * * *", "America/New_York").unwrap();
        let slots = s.slots_between(utc("2026-10-31T12:00:00Z"), utc("2026-11-02T12:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            ["11-01 01:30 EDT", "11-02 01:30 EST"]
        );
    }

    #[test]
    fn an_hourly_pattern_fires_in_both_passes_of_the_repeated_hour() {
        let s = CronSchedule::parse("30 * * * *", "America/New_York").unwrap();
        let slots = s.slots_between(utc("2026-11-01T04:00:00Z"), utc("2026-11-01T08:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            [
                "11-01 00:30 EDT",
                "11-01 01:30 EDT",
                "11-01 01:30 EST",
                "11-01 02:30 EST"
            ]
        );
    }

    #[test]
    fn an_hourly_pattern_skips_the_hour_that_does_not_exist() {
        let s = CronSchedule::parse("30 * * * *", "Europe/Berlin").unwrap();
        let slots = s.slots_between(utc("2026-03-29T00:00:00Z"), utc("2026-03-29T02:00:00Z"), 10);
        assert_eq!(
            local(&slots, s.zone()),
            ["03-29 01:30 CET", "03-29 03:30 CEST"]
        );
    }

    #[test]
    fn nicknames_and_weekday_ranges_parse() {
        let s = CronSchedule::parse("@daily", "UTC").unwrap();
        assert_eq!(
            s.next_after(utc("2026-05-05T10:00:00Z")),
            Some(utc("2026-05-06T00:00:00Z"))
        );
        let s = CronSchedule::parse("0 7 * * MON-FRI", "UTC").unwrap();
        // 2026-05-08 is a Friday: the next weekday 07:00 is Monday the 11th.
        assert_eq!(
            s.next_after(utc("2026-05-08T08:00:00Z")),
            Some(utc("2026-05-11T07:00:00Z"))
        );
    }

    #[test]
    fn bad_expressions_and_zones_say_what_is_wrong() {
        let e = CronSchedule::parse("0 25 * * *", "UTC")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`0 25 * * *`"), "{e}");
        let e = CronSchedule::parse("0 0 * * * *", "UTC")
            .unwrap_err()
            .to_string();
        assert!(e.contains("invalid cron"), "{e}");
        let e = CronSchedule::parse("0 0 * * *", "Berlin")
            .unwrap_err()
            .to_string();
        assert!(e.contains("IANA"), "{e}");
        let e = CronSchedule::parse("@reboot", "UTC")
            .unwrap_err()
            .to_string();
        assert!(e.contains("reboot"), "{e}");
        let e = CronSchedule::parse("0 0 30 2 *", "UTC")
            .unwrap_err()
            .to_string();
        assert!(e.contains("never matches"), "{e}");
    }
}
