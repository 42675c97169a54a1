//! How a job is doing, in the words and colours the jobs pages and the dashboard use.
//!
//! A job's health is read from its latest runs: the state of the newest one, and its
//! success rate — of the recent runs that executed and finished, the share that succeeded.
//! Runs that never executed (skipped because the previous one was still going, missed while
//! the runner was down, cancelled by a newer one) say nothing about whether the job works,
//! so they are not counted either way; a queued or running run has no verdict yet. The next
//! slot is the schedule's next instant after now, in UTC like every time on the console.
//!
//! Heartbeat checks are shown in the state they are in *now*: the stored state is the
//! monitor's as of its last pass (every `heartbeat_check_seconds`), and the page evaluates
//! a copy at the time it renders, so a check that went late a few seconds ago already says
//! so. Nothing is written: the monitor's pass still owns transitions and their alerts.

use chrono::{DateTime, Utc};
use corral_runner::cron_schedule::CronSchedule;
use corral_runner::records::{CheckSchedule, CheckState, HeartbeatCheck, Job, Run, RunState};

use crate::console::badges::Badge;
use crate::console::time_text::{date_time, relative, span};

/// Runs a job's health is read from.
pub const RECENT_RUNS: u32 = 20;

/// The badge of a run state.
pub fn run_state(state: RunState) -> Badge {
    let (label, class) = match state {
        RunState::Queued => ("queued", "badge status-development"),
        RunState::Running => ("running", "badge status-development"),
        RunState::Succeeded => ("succeeded", "badge approval-approved"),
        RunState::Failed => ("failed", "badge approval-blocked"),
        RunState::TimedOut => ("timed out", "badge approval-blocked"),
        RunState::Cancelled => ("cancelled", "badge"),
        RunState::Skipped => ("skipped", "badge"),
        RunState::Missed => ("missed", "badge approval-changes-requested"),
    };
    Badge {
        label: label.into(),
        class: class.into(),
    }
}

/// The badge of a heartbeat check state.
pub fn check_state(state: CheckState) -> Badge {
    let (label, class) = match state {
        CheckState::New => ("new", "badge"),
        CheckState::Up => ("up", "badge approval-approved"),
        CheckState::Late => ("late", "badge approval-pending-review"),
        CheckState::Down => ("down", "badge approval-blocked"),
    };
    Badge {
        label: label.into(),
        class: class.into(),
    }
}

/// Succeeded and counted runs, and the rate as a whole percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuccessRate {
    pub succeeded: u64,
    pub counted: u64,
}

impl SuccessRate {
    /// Counts runs by final state: successes over executed, finished runs.
    pub fn of(states: impl IntoIterator<Item = (RunState, u64)>) -> Self {
        let mut rate = Self {
            succeeded: 0,
            counted: 0,
        };
        for (state, n) in states {
            match state {
                RunState::Succeeded => {
                    rate.succeeded += n;
                    rate.counted += n;
                }
                RunState::Failed | RunState::TimedOut => rate.counted += n,
                _ => {}
            }
        }
        rate
    }

    /// The rate in whole percent (rounded down, so 99.9% never reads as 100%), or `None`
    /// without any counted run.
    pub fn percent(&self) -> Option<u64> {
        (self.counted > 0).then(|| self.succeeded * 100 / self.counted)
    }

    /// `95%` or `no runs yet`.
    pub fn text(&self) -> String {
        match self.percent() {
            Some(p) => format!("{p}%"),
            None => "no finished runs".into(),
        }
    }

    /// The colour of the rate: green at 95% and above, amber from 80%, red below.
    pub fn class(&self) -> &'static str {
        match self.percent() {
            None => "muted",
            Some(p) if p >= 95 => "rate rate-ok",
            Some(p) if p >= 80 => "rate rate-wait",
            Some(_) => "rate rate-stop",
        }
    }
}

/// A job's health as shown in a list row or at the top of its page.
pub struct JobHealth {
    /// The newest run's state and when it was queued, e.g. `failed` `3 hours ago`.
    pub last: Option<(Badge, String)>,
    pub rate: SuccessRate,
    pub rate_text: String,
    pub rate_class: &'static str,
    /// `2026-03-02 07:00 UTC (in 5 hours)`, `manual only`, `disabled`.
    pub next: String,
}

/// The next slot of `job` after `now`, if it is enabled and scheduled.
pub fn next_slot(job: &Job, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let schedule = job.schedule.as_ref().filter(|_| job.enabled)?;
    CronSchedule::parse(&schedule.cron, &schedule.timezone)
        .ok()?
        .next_after(now)
}

/// The health of `job` from its `recent` runs (newest first).
pub fn job_health(job: &Job, recent: &[Run], now: DateTime<Utc>) -> JobHealth {
    let rate = SuccessRate::of(recent.iter().map(|r| (r.state, 1)));
    let next = if !job.enabled {
        "disabled".to_string()
    } else if job.schedule.is_none() {
        "manual only".to_string()
    } else {
        match next_slot(job, now) {
            Some(at) => format!("{} ({})", date_time(at), relative(at, now)),
            None => "no further slot".to_string(),
        }
    };
    JobHealth {
        last: recent.first().map(|r| {
            let at = r.finished_at.or(r.started_at).unwrap_or(r.queued_at);
            (run_state(r.state), relative(at, now))
        }),
        rate_text: rate.text(),
        rate_class: rate.class(),
        rate,
        next,
    }
}

/// What a check expects, in words: `every 1 hour, grace 5 minutes`.
pub fn check_schedule_text(schedule: &CheckSchedule) -> String {
    let grace = span(chrono::Duration::seconds(schedule.grace_seconds() as i64));
    match schedule {
        CheckSchedule::Period { period_seconds, .. } => format!(
            "every {}, grace {grace}",
            span(chrono::Duration::seconds(*period_seconds as i64))
        ),
        CheckSchedule::Cron { cron, timezone, .. } => {
            format!("cron {cron} ({timezone}), grace {grace}")
        }
    }
}

/// `check` as it stands at `now` (see the module docs); the stored record is not changed.
pub fn check_now(check: &HeartbeatCheck, now: DateTime<Utc>) -> HeartbeatCheck {
    let mut current = check.clone();
    current.evaluate(now);
    current
}

/// The dashboard's jobs panel: how the estate's jobs and heartbeat checks are doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobsSummary {
    pub jobs: u64,
    /// Over the runs that finished in the last day.
    pub rate: SuccessRate,
    /// Failed and timed-out runs that finished in the last day.
    pub failures_last_day: u64,
    pub checks: u64,
    pub late: u64,
    pub down: u64,
}

impl JobsSummary {
    /// From the runs finished in the last day counted per state, and the heartbeat checks
    /// counted per state.
    pub fn of(jobs: u64, day: &[(RunState, u64)], checks: &[(CheckState, u64)]) -> Self {
        let of_state = |state| {
            checks
                .iter()
                .filter(|(s, _)| *s == state)
                .map(|(_, n)| n)
                .sum()
        };
        Self {
            jobs,
            rate: SuccessRate::of(day.iter().copied()),
            failures_last_day: day
                .iter()
                .filter(|(s, _)| s.is_failure())
                .map(|(_, n)| n)
                .sum(),
            checks: checks.iter().map(|(_, n)| n).sum(),
            late: of_state(CheckState::Late),
            down: of_state(CheckState::Down),
        }
    }

    /// Whether there is anything to show: a job or a check.
    pub fn is_empty(&self) -> bool {
        self.jobs == 0 && self.checks == 0
    }
}

/// Loads the dashboard's jobs panel: three aggregate queries over indexed columns. The
/// day's runs are read once for both the rate and the failures; a longer window would make
/// the dashboard's cost grow with the number of jobs.
pub async fn jobs_summary(
    state: &crate::state::AppState,
    now: DateTime<Utc>,
) -> crate::error::ApiResult<JobsSummary> {
    let store = &state.store;
    let jobs = store.count_jobs().await?;
    let day = store
        .finished_runs_since(now - chrono::Duration::days(1))
        .await?;
    let checks = store.heartbeat_state_counts().await?;
    Ok(JobsSummary::of(jobs, &day, &checks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use corral_runner::records::{Schedule, Trigger};
    use uuid::Uuid;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn job(schedule: Option<&str>) -> Job {
        let mut job: Job = serde_json::from_value(serde_json::json!({
            "name": "morning-report",
            "command": "true",
        }))
        .unwrap();
        job.schedule = schedule.map(|cron| Schedule {
            cron: cron.into(),
            timezone: "Europe/Berlin".into(),
        });
        job
    }

    fn run(state: RunState, queued: DateTime<Utc>) -> Run {
        let mut r = Run::queued(
            Uuid::nil(),
            "morning-report",
            Trigger::Schedule,
            None,
            queued,
        );
        r.state = state;
        r
    }

    #[test]
    fn the_success_rate_counts_only_runs_that_executed_and_finished() {
        let rate = SuccessRate::of([
            (RunState::Succeeded, 3),
            (RunState::Failed, 1),
            (RunState::Skipped, 5),
            (RunState::Missed, 2),
            (RunState::Queued, 1),
        ]);
        assert_eq!(rate.counted, 4);
        assert_eq!(rate.percent(), Some(75));
        assert_eq!(rate.text(), "75%");
        assert_eq!(rate.class(), "rate rate-stop");
        let nearly = SuccessRate {
            succeeded: 999,
            counted: 1000,
        };
        assert_eq!(nearly.text(), "99%");
        assert_eq!(SuccessRate::of([]).percent(), None);
        assert_eq!(SuccessRate::of([]).text(), "no finished runs");
    }

    #[test]
    fn health_names_the_newest_run_and_the_next_slot_in_the_jobs_time_zone() {
        let now = at("2026-03-02T05:30:00Z");
        let recent = [
            run(RunState::Failed, now - Duration::hours(3)),
            run(RunState::Succeeded, now - Duration::hours(27)),
        ];
        let health = job_health(&job(Some("0 7 * * *")), &recent, now);
        let (badge, when) = health.last.unwrap();
        assert_eq!(badge.label, "failed");
        assert_eq!(when, "3 hours ago");
        assert_eq!(health.rate_text, "50%");
        // 07:00 in Berlin in winter is 06:00 UTC.
        assert_eq!(health.next, "2026-03-02 06:00 UTC (in 30 minutes)");
        assert_eq!(job_health(&job(None), &[], now).next, "manual only");
        let mut off = job(Some("0 7 * * *"));
        off.enabled = false;
        assert_eq!(job_health(&off, &[], now).next, "disabled");
        assert!(job_health(&off, &[], now).last.is_none());
    }

    #[test]
    fn the_dashboard_counts_failures_of_the_day_and_late_and_down_checks() {
        let summary = JobsSummary::of(
            4,
            &[
                (RunState::Succeeded, 18),
                (RunState::Failed, 1),
                (RunState::TimedOut, 1),
                (RunState::Missed, 3),
            ],
            &[
                (CheckState::Up, 5),
                (CheckState::Late, 1),
                (CheckState::Down, 2),
            ],
        );
        assert_eq!(summary.rate.text(), "90%");
        assert_eq!(summary.failures_last_day, 2);
        assert_eq!((summary.checks, summary.late, summary.down), (8, 1, 2));
        assert!(!summary.is_empty());
        assert!(JobsSummary::of(0, &[], &[]).is_empty());
    }

    #[test]
    fn a_check_is_shown_late_as_soon_as_its_ping_is_overdue() {
        let created = at("2026-03-02T08:00:00Z");
        let mut check = HeartbeatCheck::new(
            Uuid::nil(),
            "laptop-sync",
            CheckSchedule::Period {
                period_seconds: 3600,
                grace_seconds: 600,
            },
            created,
        );
        check.receive(corral_runner::records::Ping {
            at: created,
            kind: corral_runner::records::PingKind::Success,
            body: String::new(),
        });
        assert_eq!(check.state, CheckState::Up);
        let late = check_now(&check, created + Duration::minutes(65));
        assert_eq!(late.state, CheckState::Late);
        let down = check_now(&check, created + Duration::minutes(75));
        assert_eq!(down.state, CheckState::Down);
        assert_eq!(check.state, CheckState::Up, "the stored check is unchanged");
        assert_eq!(
            check_schedule_text(&check.schedule),
            "every 1 hour, grace 10 minutes"
        );
        assert_eq!(check_state(CheckState::Late).label, "late");
    }
}
