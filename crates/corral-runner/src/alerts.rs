//! Which job outcomes people hear about.
//!
//! - A run that failed (or timed out) *after its last retry* alerts; an attempt that will
//!   still be retried does not, so a flaky network at 07:00 that succeeds at 07:01 wakes
//!   nobody.
//! - Slots missed while the runner was down alert, once per job and batch.
//! - The first success after an alerted failure announces the recovery.
//! - A success that looks wrong against the job's baseline ("went quiet") alerts.
//!
//! Alerts become [`corral_model::Event`]s; the server's dispatcher delivers them. The body
//! quotes the last lines of the (already masked) log so the reader sees the error without
//! opening the console.

use chrono::{DateTime, Utc};
use corral_model::{Event, EventKind};
use serde_json::json;

use crate::baseline::QuietSign;
use crate::records::{Job, LogStream, Run, RunState};

/// Lines of log quoted in a failure alert.
const QUOTED_LINES: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub enum JobAlert {
    /// The final attempt failed.
    Failed { run: Run },
    /// Slots passed without a run.
    Missed { slots: Vec<DateTime<Utc>> },
    /// A run succeeded after a failure that was alerted.
    Recovered { run: Run },
    /// A run succeeded but its output or duration broke with its history.
    WentQuiet { run: Run, sign: QuietSign },
}

/// The alert (if any) for `run` of `job` once it finished. `will_retry` says whether the
/// retry policy schedules another attempt; `previous` is the final state of the job's
/// previous run chain (see [`previous_outcome`]).
pub fn after_run(
    run: &Run,
    will_retry: bool,
    previous: Option<RunState>,
    quiet: Option<QuietSign>,
) -> Option<JobAlert> {
    match run.state {
        state if state.is_failure() => (!will_retry).then(|| JobAlert::Failed { run: run.clone() }),
        RunState::Succeeded if previous.is_some_and(RunState::is_failure) => {
            Some(JobAlert::Recovered { run: run.clone() })
        }
        RunState::Succeeded => quiet.map(|sign| JobAlert::WentQuiet {
            run: run.clone(),
            sign,
        }),
        _ => None,
    }
}

/// The final state of the run chain before `current`'s: the latest executed run among
/// `history` that is not `current` or one of its retries. A chain's id is the first attempt's
/// id (`retry_of` of every retry points to it).
pub fn previous_outcome(history: &[Run], current: &Run) -> Option<RunState> {
    let chain = |r: &Run| r.retry_of.unwrap_or(r.id);
    let current_chain = chain(current);
    history
        .iter()
        .filter(|r| chain(r) != current_chain)
        .filter(|r| {
            matches!(
                r.state,
                RunState::Succeeded | RunState::Failed | RunState::TimedOut
            )
        })
        .filter_map(|r| Some((r.finished_at?, r.state)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, state)| state)
}

impl JobAlert {
    /// The notification for this alert.
    pub fn to_event(&self, job: &Job, at: DateTime<Utc>) -> Event {
        let (kind, title, body, data) = match self {
            JobAlert::Failed { run } => {
                let how = match run.state {
                    RunState::TimedOut => format!("timed out after {} s", job.timeout_seconds),
                    _ => run.note.clone().unwrap_or_else(|| "failed".into()),
                };
                let attempts = if run.attempt > 1 {
                    format!(" after {} attempts", run.attempt)
                } else {
                    String::new()
                };
                (
                    EventKind::JobAlert,
                    format!("job {} failed{attempts}: {how}", job.name),
                    tail(run),
                    json!({"alert": "failed", "run_id": run.id, "state": run.state, "attempt": run.attempt, "exit_code": run.exit_code}),
                )
            }
            JobAlert::Missed { slots } => {
                let listed: Vec<String> = slots.iter().map(|s| s.to_rfc3339()).collect();
                (
                    EventKind::JobAlert,
                    format!("job {} missed {} scheduled run(s)", job.name, slots.len()),
                    format!(
                        "The runner was not processing schedules at: {}",
                        listed.join(", ")
                    ),
                    json!({"alert": "missed", "slots": listed}),
                )
            }
            JobAlert::Recovered { run } => (
                EventKind::JobRecovered,
                format!("job {} recovered", job.name),
                format!("Run {} succeeded after the previous run failed.", run.id),
                json!({"alert": "recovered", "run_id": run.id}),
            ),
            JobAlert::WentQuiet { run, sign } => (
                EventKind::JobAlert,
                format!("job {} went quiet: {}", job.name, sign.describe()),
                format!(
                    "Run {} exited 0, but {}. A job that stops doing its work often still \
                     succeeds; check its output.",
                    run.id,
                    sign.describe()
                ),
                json!({"alert": "went-quiet", "run_id": run.id, "sign": sign}),
            ),
        };
        let mut event = Event::new(kind, title, body);
        event.at = at;
        event.asset_id = job.asset_id;
        event.recipients = job.owners.clone();
        let mut data = data;
        data["job"] = json!(job.name);
        data["job_id"] = json!(job.id);
        event.data = data;
        event
    }
}

/// The last lines of a run's log, stderr and runner notes included.
fn tail(run: &Run) -> String {
    let lines = &run.log.lines;
    let from = lines.len().saturating_sub(QUOTED_LINES);
    let mut out = String::from("Last lines of the log:\n");
    for line in &lines[from..] {
        let tag = match line.stream {
            LogStream::Stdout => "out",
            LogStream::Stderr => "err",
            LogStream::Runner => "corral",
        };
        out.push_str(&format!("{tag} | {}\n", line.text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{CommandLine, LogLine, Trigger};

    fn t(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000 + min * 60, 0).unwrap()
    }

    fn job() -> Job {
        let mut job = Job::new("pipeline-report", CommandLine::Shell("./report.sh".into()));
        job.owners = vec!["sam@example.com".into()];
        job
    }

    fn finished(job: &Job, state: RunState, at: i64) -> Run {
        let mut run = Run::queued(job.id, &job.name, Trigger::Schedule, Some(t(at)), t(at));
        run.state = state;
        run.started_at = Some(t(at));
        run.finished_at = Some(t(at + 1));
        run
    }

    #[test]
    fn an_attempt_that_will_be_retried_raises_no_alert() {
        let job = job();
        let run = finished(&job, RunState::Failed, 0);
        assert_eq!(after_run(&run, true, None, None), None);
    }

    #[test]
    fn the_last_attempt_failing_alerts_the_owners_with_the_log_tail() {
        let job = job();
        let mut run = finished(&job, RunState::Failed, 0);
        run.attempt = 3;
        run.note = Some("exited with status 2".into());
        run.log.lines.push(LogLine {
            at: t(0),
            stream: LogStream::Stderr,
            text: "KeyError: 'amount'".into(),
        });
        let alert = after_run(&run, false, Some(RunState::Succeeded), None).unwrap();
        let event = alert.to_event(&job, t(2));
        assert_eq!(event.kind, EventKind::JobAlert);
        assert_eq!(
            event.title,
            "job pipeline-report failed after 3 attempts: exited with status 2"
        );
        assert!(event.body.contains("err | KeyError: 'amount'"));
        assert_eq!(event.recipients, ["sam@example.com"]);
    }

    #[test]
    fn a_success_after_an_alerted_failure_announces_recovery_once() {
        let job = job();
        let failed = finished(&job, RunState::Failed, 0);
        let ok = finished(&job, RunState::Succeeded, 60);
        let previous = previous_outcome(std::slice::from_ref(&failed), &ok);
        assert_eq!(previous, Some(RunState::Failed));
        let alert = after_run(&ok, false, previous, None).unwrap();
        assert_eq!(alert.to_event(&job, t(62)).kind, EventKind::JobRecovered);
        let next = finished(&job, RunState::Succeeded, 120);
        let previous = previous_outcome(&[failed, ok], &next);
        assert_eq!(after_run(&next, false, previous, None), None);
    }

    #[test]
    fn a_retry_that_succeeds_is_not_a_recovery_from_its_own_failed_attempt() {
        let job = job();
        let earlier_ok = finished(&job, RunState::Succeeded, 0);
        let first = finished(&job, RunState::Failed, 60);
        let mut retry = finished(&job, RunState::Succeeded, 62);
        retry.attempt = 2;
        retry.retry_of = Some(first.id);
        let previous = previous_outcome(&[earlier_ok, first], &retry);
        assert_eq!(previous, Some(RunState::Succeeded));
        assert_eq!(after_run(&retry, false, previous, None), None);
    }

    #[test]
    fn missed_slots_are_listed_in_the_alert() {
        let job = job();
        let event = JobAlert::Missed {
            slots: vec![t(0), t(60)],
        }
        .to_event(&job, t(61));
        assert_eq!(event.title, "job pipeline-report missed 2 scheduled run(s)");
        assert_eq!(event.data["slots"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn skipped_and_cancelled_runs_raise_no_alert() {
        let job = job();
        for state in [RunState::Skipped, RunState::Cancelled] {
            assert_eq!(
                after_run(&finished(&job, state, 0), false, None, None),
                None
            );
        }
    }
}
