//! Business-day arithmetic for review deadlines.
//!
//! A tier-3 review is due a number of business days (five by default) after it is requested.
//! Weekends and the configured holidays do not count, and the day of the request does not
//! count either; the deadline lands at the end of the last business day in the organisation's
//! time zone, so a request on Friday afternoon is due at the end of the next Friday.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// Whether `day` is a working day: not Saturday, Sunday or a listed holiday.
pub fn is_business_day(day: NaiveDate, holidays: &[NaiveDate]) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&day)
}

/// The end (23:59:59 local time) of the `days`-th business day after `start`, in `tz`.
///
/// With `days == 0` the deadline is the end of the start day itself if that is a business day,
/// else the end of the next business day.
pub fn business_deadline(
    start: DateTime<Utc>,
    days: u32,
    tz: Tz,
    holidays: &[NaiveDate],
) -> DateTime<Utc> {
    let mut day = start.with_timezone(&tz).date_naive();
    if days == 0 {
        while !is_business_day(day, holidays) {
            day += Duration::days(1);
        }
    } else {
        let mut counted = 0;
        while counted < days {
            day += Duration::days(1);
            if is_business_day(day, holidays) {
                counted += 1;
            }
        }
    }
    end_of_day(day, tz)
}

/// 23:59:59 on `day` in `tz`, as UTC. Time-zone transitions happen at night, never at this
/// hour, but an ambiguous local time would take the later instant.
fn end_of_day(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    tz.from_local_datetime(&local)
        .latest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_friday_afternoon_request_is_due_at_the_end_of_the_next_friday() {
        // 2026-11-20 is a Friday.
        let due = business_deadline(utc("2026-11-20T15:00:00Z"), 5, Tz::UTC, &[]);
        assert_eq!(due, utc("2026-11-27T23:59:59Z"));
    }

    #[test]
    fn a_weekend_request_counts_from_monday() {
        let due = business_deadline(utc("2026-11-21T10:00:00Z"), 5, Tz::UTC, &[]);
        assert_eq!(due, utc("2026-11-27T23:59:59Z"));
    }

    #[test]
    fn holidays_do_not_count() {
        // Thursday 2026-11-26 is a holiday: the deadline moves from Friday to Monday.
        let due = business_deadline(
            utc("2026-11-20T15:00:00Z"),
            5,
            Tz::UTC,
            &[date("2026-11-26")],
        );
        assert_eq!(due, utc("2026-11-30T23:59:59Z"));
    }

    #[test]
    fn the_deadline_is_the_end_of_the_day_in_the_organisations_time_zone() {
        // Monday 2026-11-23 09:00 in New York (UTC-5) plus one business day: Tuesday 23:59:59 local.
        let due = business_deadline(utc("2026-11-23T14:00:00Z"), 1, Tz::America__New_York, &[]);
        assert_eq!(due, utc("2026-11-25T04:59:59Z"));
    }

    #[test]
    fn the_local_date_decides_which_day_the_request_was_made() {
        // Friday 23:30 UTC is already Saturday in Tokyo: counting starts on Monday there.
        let due = business_deadline(utc("2026-11-20T23:30:00Z"), 1, Tz::Asia__Tokyo, &[]);
        assert_eq!(due, utc("2026-11-23T14:59:59Z"));
    }

    #[test]
    fn zero_days_means_the_end_of_the_current_or_next_business_day() {
        assert_eq!(
            business_deadline(utc("2026-11-21T10:00:00Z"), 0, Tz::UTC, &[]),
            utc("2026-11-23T23:59:59Z")
        );
    }
}
