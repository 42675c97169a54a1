//! The scheduler core: which slots are due, exactly once.
//!
//! [`Scheduler::due`] takes the jobs, the last processed instant and the current instant,
//! and returns every slot in the half-open window `(last, now]`. The caller stores `now` as
//! the new last processed instant together with the runs it creates, so consecutive windows
//! never overlap and a slot is handled once however irregular the ticks are — a paused
//! process, a clock step across daylight saving, or a week of downtime. (With several
//! runner nodes the store's claim on the window provides the same guarantee.)
//!
//! A slot is *on time* when it is at most [`Scheduler::tolerance`] old; older slots were
//! missed while nothing was processing, and the job's catch-up policy decides their fate:
//! `latest` runs the newest missed slot once (unless an on-time slot in the same window
//! already covers it), `all` runs up to `catch_up_max` of the newest missed slots oldest
//! first, `none` runs nothing. Every missed slot not run is returned for the history, up to
//! a cap per job so a year of downtime on a per-minute job does not flood the store.
//!
//! Each job's next slot is cached, so a tick over 10,000 idle jobs is a map lookup each.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::cron_schedule::{CronSchedule, ScheduleError};
use crate::records::{CatchUp, Job, Trigger};

/// A slot to run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSlot {
    pub job_id: Uuid,
    pub slot: DateTime<Utc>,
    /// [`Trigger::Schedule`] or [`Trigger::CatchUp`].
    pub trigger: Trigger,
}

/// A slot that passed unprocessed and will not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissedSlot {
    pub job_id: Uuid,
    pub slot: DateTime<Utc>,
}

/// What one window yields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Due {
    /// Oldest first within each job.
    pub run: Vec<DueSlot>,
    pub missed: Vec<MissedSlot>,
    /// Jobs with more missed slots than the cap: the oldest were not listed.
    pub missed_beyond_cap: Vec<Uuid>,
    /// Jobs whose schedule could not be used, with the reason.
    pub invalid: Vec<(Uuid, ScheduleError)>,
}

struct Compiled {
    cron: String,
    timezone: String,
    schedule: Result<CronSchedule, ScheduleError>,
    /// The first slot strictly after `after` (`None`: not computed yet).
    after: Option<DateTime<Utc>>,
    next: Option<DateTime<Utc>>,
}

pub struct Scheduler {
    /// How old a slot may be and still count as on time.
    pub tolerance: Duration,
    /// Missed slots listed per job and window, at most.
    pub max_missed_per_job: usize,
    compiled: HashMap<Uuid, Compiled>,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self::new(Duration::seconds(60), 1000)
    }
}

impl Scheduler {
    pub fn new(tolerance: Duration, max_missed_per_job: usize) -> Self {
        Self {
            tolerance,
            max_missed_per_job,
            compiled: HashMap::new(),
        }
    }

    /// The slots of enabled, scheduled `jobs` in `(last, now]`.
    pub fn due(&mut self, jobs: &[Job], last: DateTime<Utc>, now: DateTime<Utc>) -> Due {
        let mut due = Due::default();
        if now <= last {
            return due;
        }
        for job in jobs {
            let Some(spec) = job.schedule.as_ref().filter(|_| job.enabled) else {
                continue;
            };
            let entry = self.compiled.entry(job.id).or_insert_with(|| Compiled {
                cron: String::new(),
                timezone: String::new(),
                schedule: Err(ScheduleError::NeverMatches(String::new())),
                after: None,
                next: None,
            });
            if entry.cron != spec.cron || entry.timezone != spec.timezone {
                entry.cron = spec.cron.clone();
                entry.timezone = spec.timezone.clone();
                entry.schedule = CronSchedule::parse(&spec.cron, &spec.timezone);
                entry.after = None;
                entry.next = None;
            }
            let schedule = match &entry.schedule {
                Ok(s) => s,
                Err(e) => {
                    due.invalid.push((job.id, e.clone()));
                    continue;
                }
            };
            // The cache answers "first slot after `last`" when it was computed from at or
            // before `last` and that slot lies after `last`.
            let cached =
                entry.after.is_some_and(|a| a <= last) && entry.next.is_none_or(|n| n > last);
            let first = if cached {
                entry.next
            } else {
                schedule.next_after(last)
            };
            if first.is_none_or(|n| n > now) {
                entry.after = Some(last);
                entry.next = first;
                continue;
            }
            Self::classify(
                job,
                schedule,
                last,
                now,
                self.tolerance,
                self.max_missed_per_job,
                &mut due,
            );
            entry.after = Some(now);
            entry.next = schedule.next_after(now);
        }
        due
    }

    /// The earliest next slot among the jobs seen by the last [`Self::due`] call, to know how
    /// long the engine may sleep.
    pub fn next_slot(&self) -> Option<DateTime<Utc>> {
        self.compiled.values().filter_map(|c| c.next).min()
    }

    /// Forgets cached state of jobs not in `live` (deleted jobs).
    pub fn retain(&mut self, live: impl Fn(&Uuid) -> bool) {
        self.compiled.retain(|id, _| live(id));
    }

    fn classify(
        job: &Job,
        schedule: &CronSchedule,
        last: DateTime<Utc>,
        now: DateTime<Utc>,
        tolerance: Duration,
        max_missed: usize,
        due: &mut Due,
    ) {
        let on_time_from = now - tolerance;
        let keep_late = max_missed + job.catch_up_max as usize;
        // Walk back from `now`: on-time slots, then the newest `keep_late` late ones.
        let mut on_time = Vec::new();
        let mut late = Vec::new();
        let mut cursor = schedule.latest_at_or_before(now);
        let mut beyond_cap = false;
        while let Some(slot) = cursor {
            if slot <= last {
                break;
            }
            if slot >= on_time_from {
                on_time.push(slot);
            } else if late.len() < keep_late {
                late.push(slot);
            } else {
                beyond_cap = true;
                break;
            }
            cursor = schedule.previous_before(slot);
        }
        on_time.reverse();
        late.reverse();

        let run_late: usize = match job.catch_up {
            CatchUp::None => 0,
            CatchUp::Latest if on_time.is_empty() => 1,
            CatchUp::Latest => 0,
            CatchUp::All => job.catch_up_max as usize,
        }
        .min(late.len());
        let (missed, caught_up) = late.split_at(late.len() - run_late);
        // List the newest missed slots when there are more than the cap.
        let listed = &missed[missed.len().saturating_sub(max_missed)..];
        if beyond_cap || listed.len() < missed.len() {
            due.missed_beyond_cap.push(job.id);
        }
        due.missed.extend(listed.iter().map(|&slot| MissedSlot {
            job_id: job.id,
            slot,
        }));
        due.run.extend(caught_up.iter().map(|&slot| DueSlot {
            job_id: job.id,
            slot,
            trigger: Trigger::CatchUp,
        }));
        due.run.extend(on_time.into_iter().map(|slot| DueSlot {
            job_id: job.id,
            slot,
            trigger: Trigger::Schedule,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, FakeClock};
    use crate::records::{CommandLine, Schedule};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn job(cron: &str, tz: &str) -> Job {
        let mut job = Job::new("report", CommandLine::Shell("true".into()));
        job.schedule = Some(Schedule {
            cron: cron.into(),
            timezone: tz.into(),
        });
        job
    }

    /// Steps a fake clock from `start` to `end` in uneven steps and collects every due slot.
    fn drive(jobs: &[Job], start: &str, end: &str, steps: &[i64]) -> Vec<DueSlot> {
        let clock = FakeClock::new(utc(start));
        let mut scheduler = Scheduler::default();
        let mut last = clock.now();
        let mut out = Vec::new();
        let mut i = 0;
        while clock.now() < utc(end) {
            clock.advance(Duration::seconds(steps[i % steps.len()]));
            i += 1;
            let now = clock.now();
            let due = scheduler.due(jobs, last, now);
            assert!(due.missed.is_empty(), "nothing is missed with short steps");
            out.extend(due.run);
            last = now;
        }
        out
    }

    #[test]
    fn uneven_ticks_across_the_berlin_spring_gap_yield_each_slot_once() {
        let jobs = [
            job("30 2 * * *", "Europe/Berlin"),
            job("*/30 * * * *", "Europe/Berlin"),
        ];
        let due = drive(
            &jobs,
            "2026-03-28T22:00:00Z",
            "2026-03-29T03:00:00Z",
            &[1, 7, 59, 13, 30],
        );
        let daily: Vec<_> = due
            .iter()
            .filter(|d| d.job_id == jobs[0].id)
            .map(|d| d.slot)
            .collect();
        // 02:30 does not exist that night: it runs once, at 03:00 CEST (01:00 UTC).
        assert_eq!(daily, [utc("2026-03-29T01:00:00Z")]);
        let half_hourly = due.iter().filter(|d| d.job_id == jobs[1].id).count();
        // 23:00 CET … 05:00 CEST is five real hours: ten slots, one hour of wall clock lost.
        assert_eq!(half_hourly, 10);
        assert!(due.iter().all(|d| d.trigger == Trigger::Schedule));
    }

    #[test]
    fn uneven_ticks_across_the_new_york_fall_back_yield_the_fixed_slot_once() {
        let jobs = [job("30 1 * * *", "America/New_York")];
        let due = drive(
            &jobs,
            "2026-11-01T04:00:00Z",
            "2026-11-01T08:00:00Z",
            &[11, 60, 3],
        );
        assert_eq!(
            due.iter().map(|d| d.slot).collect::<Vec<_>>(),
            [utc("2026-11-01T05:30:00Z")]
        );
    }

    #[test]
    fn a_slot_on_the_window_edge_belongs_to_exactly_one_window() {
        let jobs = [job("0 7 * * *", "UTC")];
        let mut s = Scheduler::default();
        let a = s.due(
            &jobs,
            utc("2026-05-05T06:59:00Z"),
            utc("2026-05-05T07:00:00Z"),
        );
        let b = s.due(
            &jobs,
            utc("2026-05-05T07:00:00Z"),
            utc("2026-05-05T07:01:00Z"),
        );
        assert_eq!(a.run.len(), 1);
        assert!(b.run.is_empty());
    }

    #[test]
    fn after_downtime_the_latest_missed_slot_runs_once_and_the_rest_are_recorded_missed() {
        let jobs = [job("0 * * * *", "UTC")];
        let mut s = Scheduler::default();
        let due = s.due(
            &jobs,
            utc("2026-05-05T06:30:00Z"),
            utc("2026-05-05T10:20:00Z"),
        );
        assert_eq!(
            due.run,
            [DueSlot {
                job_id: jobs[0].id,
                slot: utc("2026-05-05T10:00:00Z"),
                trigger: Trigger::CatchUp
            }]
        );
        let missed: Vec<_> = due.missed.iter().map(|m| m.slot).collect();
        assert_eq!(
            missed,
            [
                utc("2026-05-05T07:00:00Z"),
                utc("2026-05-05T08:00:00Z"),
                utc("2026-05-05T09:00:00Z")
            ]
        );
    }

    #[test]
    fn catch_up_none_runs_nothing_and_records_every_missed_slot() {
        let mut j = job("0 * * * *", "UTC");
        j.catch_up = CatchUp::None;
        let due = Scheduler::default().due(
            &[j],
            utc("2026-05-05T06:30:00Z"),
            utc("2026-05-05T10:20:00Z"),
        );
        assert!(due.run.is_empty());
        assert_eq!(due.missed.len(), 4);
    }

    #[test]
    fn catch_up_all_runs_the_newest_missed_slots_up_to_the_cap_oldest_first() {
        let mut j = job("0 * * * *", "UTC");
        j.catch_up = CatchUp::All;
        j.catch_up_max = 2;
        let due = Scheduler::default().due(
            &[j],
            utc("2026-05-05T06:30:00Z"),
            utc("2026-05-05T10:20:00Z"),
        );
        let run: Vec<_> = due.run.iter().map(|d| (d.slot, d.trigger)).collect();
        assert_eq!(
            run,
            [
                (utc("2026-05-05T09:00:00Z"), Trigger::CatchUp),
                (utc("2026-05-05T10:00:00Z"), Trigger::CatchUp)
            ]
        );
        assert_eq!(due.missed.len(), 2);
    }

    #[test]
    fn an_on_time_slot_makes_the_latest_catch_up_unnecessary() {
        let jobs = [job("*/10 * * * *", "UTC")];
        let due = Scheduler::default().due(
            &jobs,
            utc("2026-05-05T09:55:00Z"),
            utc("2026-05-05T10:20:30Z"),
        );
        assert_eq!(
            due.run
                .iter()
                .map(|d| (d.slot, d.trigger))
                .collect::<Vec<_>>(),
            [(utc("2026-05-05T10:20:00Z"), Trigger::Schedule)]
        );
        assert_eq!(due.missed.len(), 2);
    }

    #[test]
    fn a_year_of_downtime_lists_only_the_newest_missed_slots_and_says_so() {
        let jobs = [job("* * * * *", "UTC")];
        let mut s = Scheduler::new(Duration::seconds(60), 100);
        let due = s.due(
            &jobs,
            utc("2025-05-05T10:00:00Z"),
            utc("2026-05-05T10:00:30Z"),
        );
        assert_eq!(due.missed.len(), 100);
        assert_eq!(due.missed_beyond_cap, [jobs[0].id]);
        assert_eq!(due.run.len(), 1);
        assert_eq!(due.missed.last().unwrap().slot, utc("2026-05-05T09:59:00Z"));
    }

    #[test]
    fn disabled_and_unscheduled_jobs_never_come_due_and_invalid_ones_are_reported() {
        let mut disabled = job("* * * * *", "UTC");
        disabled.enabled = false;
        let manual = Job::new("manual", CommandLine::Shell("true".into()));
        let broken = job("* * * * *", "Nowhere/City");
        let due = Scheduler::default().due(
            &[disabled, manual, broken.clone()],
            utc("2026-05-05T10:00:00Z"),
            utc("2026-05-05T10:05:00Z"),
        );
        assert!(due.run.is_empty() && due.missed.is_empty());
        assert_eq!(due.invalid.len(), 1);
        assert_eq!(due.invalid[0].0, broken.id);
    }

    #[test]
    fn a_changed_schedule_takes_effect_at_the_next_window() {
        let mut j = job("0 7 * * *", "UTC");
        let mut s = Scheduler::default();
        assert!(
            s.due(
                &[j.clone()],
                utc("2026-05-05T05:00:00Z"),
                utc("2026-05-05T05:00:10Z")
            )
            .run
            .is_empty()
        );
        j.schedule.as_mut().unwrap().cron = "1 5 * * *".into();
        let due = s.due(
            &[j],
            utc("2026-05-05T05:00:10Z"),
            utc("2026-05-05T05:01:00Z"),
        );
        assert_eq!(due.run.len(), 1);
    }
}
