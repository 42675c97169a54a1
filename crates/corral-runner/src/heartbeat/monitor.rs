//! The heartbeat state machine, healthchecks.io style.
//!
//! A check expects a ping every period (or after every slot of a cron expression in its time
//! zone) and tolerates a grace time. Pings are plain (success), `/start`, `/fail` or
//! `/<exit-code>`. The state follows from the last finish ping and the clock:
//!
//! - **new** until the first ping: nothing is expected from a check nobody wired up yet;
//! - **up** after a success while the next ping is not yet due;
//! - **late** when the next ping is overdue but within the grace time;
//! - **down** past the grace time, right after a failure ping, or when a `/start` was not
//!   followed by a finish within the grace time (the job hung or died without reporting).
//!
//! Alerts fire on transitions only — into down, and from down back to up — so a check that
//! stays down for a week alerts once. Time never makes a check better; only a ping does.

use chrono::{DateTime, Duration, Utc};
use corral_model::{Event, EventKind};
use serde_json::json;

use crate::cron_schedule::CronSchedule;
use crate::records::{CheckSchedule, CheckState, HeartbeatCheck, Ping, PingKind};

/// Bytes of a ping body kept.
pub const PING_BODY_LIMIT: usize = 10 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeartbeatAlert {
    Down { reason: String },
    Recovered,
}

impl HeartbeatAlert {
    pub fn to_event(&self, check: &HeartbeatCheck, at: DateTime<Utc>) -> Event {
        let (title, body, alert) = match self {
            HeartbeatAlert::Down { reason } => (
                format!("heartbeat {} is down", check.name),
                reason.clone(),
                "down",
            ),
            HeartbeatAlert::Recovered => (
                format!("heartbeat {} is up again", check.name),
                "A successful ping arrived after the check was down.".to_string(),
                "recovered",
            ),
        };
        let mut event = Event::new(EventKind::HeartbeatAlert, title, body);
        event.at = at;
        event.data = json!({"check_id": check.id, "check": check.name, "alert": alert});
        event
    }
}

/// Keeps the first [`PING_BODY_LIMIT`] bytes of `body`, cut at a character boundary.
pub fn truncate_body(body: &str) -> String {
    if body.len() <= PING_BODY_LIMIT {
        return body.to_string();
    }
    let mut end = PING_BODY_LIMIT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body[..end].to_string()
}

impl HeartbeatCheck {
    pub fn new(
        id: uuid::Uuid,
        name: impl Into<String>,
        schedule: CheckSchedule,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            schedule,
            state: CheckState::New,
            created_at: now,
            last_ping: None,
            started_at: None,
            state_since: Some(now),
        }
    }

    /// Records a ping; returns the alert its state change calls for.
    pub fn receive(&mut self, mut ping: Ping) -> Option<HeartbeatAlert> {
        ping.body = truncate_body(&ping.body);
        let at = ping.at;
        match ping.kind {
            PingKind::Start => {
                self.started_at = Some(at);
                None
            }
            kind if kind.is_failure() => {
                let reason = match kind {
                    PingKind::ExitCode(code) => format!("the job reported exit status {code}"),
                    _ => "the job reported a failure".to_string(),
                };
                self.started_at = None;
                self.last_ping = Some(ping);
                self.transition(CheckState::Down, at, reason)
            }
            _ => {
                self.started_at = None;
                self.last_ping = Some(ping);
                self.transition(CheckState::Up, at, String::new())
            }
        }
    }

    /// Re-evaluates the state at `now`; returns the alert a change calls for.
    pub fn evaluate(&mut self, now: DateTime<Utc>) -> Option<HeartbeatAlert> {
        let grace = Duration::seconds(self.schedule.grace_seconds() as i64);
        if let Some(started) = self.started_at
            && now > started + grace
        {
            let reason = format!(
                "the job started at {} and did not report a finish within the grace time of {} s",
                started.to_rfc3339(),
                grace.num_seconds()
            );
            return self.transition(CheckState::Down, now, reason);
        }
        if matches!(self.state, CheckState::New | CheckState::Down) {
            return None;
        }
        let due = self.next_due()?;
        if now <= due {
            None
        } else if now <= due + grace {
            self.transition(CheckState::Late, now, String::new())
        } else {
            let reason = format!(
                "no ping since {}; one was due by {} (grace {} s)",
                self.last_ping
                    .as_ref()
                    .map_or_else(String::new, |p| p.at.to_rfc3339()),
                due.to_rfc3339(),
                grace.num_seconds()
            );
            self.transition(CheckState::Down, now, reason)
        }
    }

    /// When the next finish ping is due (before the grace time), if one is expected.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        let last = self.last_ping.as_ref()?.at;
        match &self.schedule {
            CheckSchedule::Period { period_seconds, .. } => {
                Some(last + Duration::seconds(*period_seconds as i64))
            }
            CheckSchedule::Cron { cron, timezone, .. } => {
                CronSchedule::parse(cron, timezone).ok()?.next_after(last)
            }
        }
    }

    fn transition(
        &mut self,
        to: CheckState,
        at: DateTime<Utc>,
        reason: String,
    ) -> Option<HeartbeatAlert> {
        let from = self.state;
        if from == to {
            return None;
        }
        self.state = to;
        self.state_since = Some(at);
        match (from, to) {
            (_, CheckState::Down) => Some(HeartbeatAlert::Down { reason }),
            (CheckState::Down, CheckState::Up) => Some(HeartbeatAlert::Recovered),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(min: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-04T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(min)
    }

    fn ping(min: i64, kind: PingKind) -> Ping {
        Ping {
            at: t(min),
            kind,
            body: String::new(),
        }
    }

    fn hourly() -> HeartbeatCheck {
        HeartbeatCheck::new(
            uuid::Uuid::nil(),
            "laptop-sync",
            CheckSchedule::Period {
                period_seconds: 3600,
                grace_seconds: 600,
            },
            t(0),
        )
    }

    #[test]
    fn a_new_check_stays_new_until_its_first_ping() {
        let mut check = hourly();
        assert_eq!(check.evaluate(t(600)), None);
        assert_eq!(check.state, CheckState::New);
    }

    #[test]
    fn a_check_goes_late_after_its_period_and_down_after_the_grace_alerting_once() {
        let mut check = hourly();
        assert_eq!(check.receive(ping(0, PingKind::Success)), None);
        assert_eq!(check.state, CheckState::Up);
        assert_eq!(check.evaluate(t(59)), None);
        assert_eq!(check.state, CheckState::Up);
        assert_eq!(check.evaluate(t(65)), None);
        assert_eq!(check.state, CheckState::Late);
        let alert = check.evaluate(t(71)).unwrap();
        assert!(
            matches!(&alert, HeartbeatAlert::Down { reason } if reason.contains("no ping since"))
        );
        assert_eq!(check.evaluate(t(500)), None, "no second alert while down");
        assert_eq!(
            check.receive(ping(501, PingKind::Success)),
            Some(HeartbeatAlert::Recovered)
        );
        let event = HeartbeatAlert::Recovered.to_event(&check, t(501));
        assert_eq!(event.kind, EventKind::HeartbeatAlert);
    }

    #[test]
    fn a_failure_ping_or_a_nonzero_exit_code_is_down_at_once() {
        for kind in [PingKind::Fail, PingKind::ExitCode(3)] {
            let mut check = hourly();
            check.receive(ping(0, PingKind::Success));
            assert!(matches!(
                check.receive(ping(5, kind)),
                Some(HeartbeatAlert::Down { .. })
            ));
            assert_eq!(check.state, CheckState::Down);
        }
        let mut check = hourly();
        check.receive(ping(0, PingKind::Success));
        assert_eq!(check.receive(ping(5, PingKind::ExitCode(0))), None);
        assert_eq!(check.state, CheckState::Up);
    }

    #[test]
    fn a_start_without_a_finish_within_the_grace_counts_as_a_failure() {
        let mut check = hourly();
        check.receive(ping(0, PingKind::Success));
        check.receive(ping(60, PingKind::Start));
        assert_eq!(check.evaluate(t(69)), None);
        let alert = check.evaluate(t(71)).unwrap();
        assert!(
            matches!(&alert, HeartbeatAlert::Down { reason } if reason.contains("did not report a finish"))
        );
    }

    #[test]
    fn a_start_followed_by_a_finish_in_time_keeps_the_check_up() {
        let mut check = hourly();
        check.receive(ping(0, PingKind::Success));
        check.receive(ping(60, PingKind::Start));
        check.receive(ping(65, PingKind::Success));
        assert_eq!(check.evaluate(t(80)), None);
        assert_eq!(check.state, CheckState::Up);
    }

    #[test]
    fn a_cron_check_expects_a_ping_after_each_slot_in_its_zone() {
        // Weekdays at 07:00 Berlin (05:00 UTC in May); 30 minutes of grace.
        let mut check = HeartbeatCheck::new(
            uuid::Uuid::nil(),
            "crm-export",
            CheckSchedule::Cron {
                cron: "0 7 * * 1-5".into(),
                timezone: "Europe/Berlin".into(),
                grace_seconds: 1800,
            },
            t(0),
        );
        // Monday 2026-05-04 08:00 UTC: a ping; the next is due Tuesday 05:00 UTC.
        check.receive(ping(0, PingKind::Success));
        assert_eq!(check.next_due(), Some(t(21 * 60)));
        assert_eq!(check.evaluate(t(21 * 60 + 10)), None);
        assert_eq!(check.state, CheckState::Late);
        assert!(check.evaluate(t(21 * 60 + 31)).is_some());
        assert_eq!(check.state, CheckState::Down);
    }

    #[test]
    fn ping_paths_map_to_kinds_and_back() {
        for (suffix, kind) in [
            ("", PingKind::Success),
            ("/start", PingKind::Start),
            ("/fail", PingKind::Fail),
            ("/0", PingKind::ExitCode(0)),
            ("/137", PingKind::ExitCode(137)),
        ] {
            assert_eq!(PingKind::from_path_suffix(suffix), Some(kind));
            assert_eq!(kind.path_suffix(), suffix);
        }
        for bad in ["/256", "/-1", "/started", "/1x"] {
            assert_eq!(PingKind::from_path_suffix(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_first_ten_kilobytes_of_a_body_are_kept() {
        let mut check = hourly();
        let mut p = ping(0, PingKind::Success);
        p.body = "é".repeat(8000);
        check.receive(p);
        let kept = &check.last_ping.unwrap().body;
        assert!(kept.len() <= PING_BODY_LIMIT && kept.len() > PING_BODY_LIMIT - 2);
    }
}
