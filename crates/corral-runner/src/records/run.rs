//! One run of a job: why it started, which attempt it was, when, how it ended, and its
//! (masked) log.
//!
//! Every slot the scheduler handles leaves a run, including the ones that did not execute:
//! a slot missed while the runner was down is a run in state [`RunState::Missed`], a slot
//! skipped because the previous run was still going is [`RunState::Skipped`]. The history
//! therefore answers "did the 07:00 report run on Tuesday?" with a record either way.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a run exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Its schedule slot came.
    Schedule,
    /// Someone asked for it.
    Manual,
    /// An earlier attempt failed and the retry policy allows another.
    Retry,
    /// Its slot passed while the runner was down, and the catch-up policy runs it now.
    CatchUp,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::Manual => "manual",
            Trigger::Retry => "retry",
            Trigger::CatchUp => "catch-up",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunState {
    /// Waiting to start (a retry waits for its backoff here).
    Queued,
    Running,
    /// Exited with status 0.
    Succeeded,
    /// Exited non-zero, was killed by a signal, or could not start.
    Failed,
    /// Killed after its timeout.
    TimedOut,
    /// Killed because a newer run replaced it (overlap policy `replace`).
    Cancelled,
    /// Not started because the previous run was still running (overlap policy `forbid`).
    Skipped,
    /// Its slot passed while the runner was down and the catch-up policy did not run it.
    Missed,
}

impl RunState {
    pub fn is_finished(self) -> bool {
        !matches!(self, RunState::Queued | RunState::Running)
    }

    /// A finished run that counts against the job (for retries and alerts).
    pub fn is_failure(self) -> bool {
        matches!(self, RunState::Failed | RunState::TimedOut)
    }
}

/// Whether a run was isolated, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Sandboxing {
    /// Inside bubblewrap: read-only system, own writable directory, network only if declared.
    Bubblewrap { network: bool },
    /// Without a sandbox (rlimits and a clean environment still apply).
    None { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogStream {
    Stdout,
    Stderr,
    /// Lines the runner itself adds (truncation notices, kill reasons).
    Runner,
}

/// One line of output, after secret masking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub at: DateTime<Utc>,
    pub stream: LogStream,
    pub text: String,
}

/// A run's captured output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunLog {
    pub lines: Vec<LogLine>,
    /// Bytes the job wrote in total (stdout and stderr), kept or not.
    pub total_bytes: u64,
    /// Whether output beyond the size cap was dropped.
    pub truncated: bool,
}

impl RunLog {
    /// The whole log as text, one line per line, for display and tests.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        out
    }
}

/// One run of one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: Uuid,
    pub job_id: Uuid,
    pub job_name: String,
    pub trigger: Trigger,
    /// The schedule slot this run belongs to (kept across retries), if any.
    #[serde(default)]
    pub slot: Option<DateTime<Utc>>,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// The run this one retries.
    #[serde(default)]
    pub retry_of: Option<Uuid>,
    pub state: RunState,
    pub queued_at: DateTime<Utc>,
    /// Earliest start (later than `queued_at` for a retry waiting out its backoff).
    pub not_before: DateTime<Utc>,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// The signal that ended the process, if one did.
    #[serde(default)]
    pub signal: Option<i32>,
    #[serde(default)]
    pub sandbox: Option<Sandboxing>,
    /// Why the run did not execute or could not start, in words.
    #[serde(default)]
    pub note: Option<String>,
    /// The full commit id a git source's ref resolved to for this run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_commit: Option<String>,
    #[serde(default)]
    pub log: RunLog,
}

impl Run {
    /// A queued run of `job_id`, startable at `not_before`.
    pub fn queued(
        job_id: Uuid,
        job_name: &str,
        trigger: Trigger,
        slot: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            job_id,
            job_name: job_name.into(),
            trigger,
            slot,
            attempt: 1,
            retry_of: None,
            state: RunState::Queued,
            queued_at: now,
            not_before: now,
            started_at: None,
            finished_at: None,
            exit_code: None,
            signal: None,
            sandbox: None,
            note: None,
            source_commit: None,
            log: RunLog::default(),
        }
    }

    /// A finished record for a slot that did not execute (missed or skipped).
    pub fn not_executed(
        job_id: Uuid,
        job_name: &str,
        slot: DateTime<Utc>,
        state: RunState,
        note: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut run = Self::queued(job_id, job_name, Trigger::Schedule, Some(slot), now);
        run.state = state;
        run.finished_at = Some(now);
        run.note = Some(note.into());
        run
    }

    /// Wall time from start to finish.
    pub fn duration(&self) -> Option<chrono::Duration> {
        Some(self.finished_at? - self.started_at?)
    }
}
