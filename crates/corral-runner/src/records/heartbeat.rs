//! A heartbeat check: a job that still runs elsewhere (a laptop, a server Corral does not
//! manage) and pings Corral, healthchecks.io style, so Corral notices when it goes quiet.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// When pings are expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CheckSchedule {
    /// A ping at least every `period_seconds`, tolerating `grace_seconds` of lateness.
    Period {
        period_seconds: u64,
        grace_seconds: u64,
    },
    /// A ping after every slot of a cron expression, within `grace_seconds`.
    Cron {
        cron: String,
        timezone: String,
        grace_seconds: u64,
    },
}

impl CheckSchedule {
    pub fn grace_seconds(&self) -> u64 {
        match self {
            CheckSchedule::Period { grace_seconds, .. }
            | CheckSchedule::Cron { grace_seconds, .. } => *grace_seconds,
        }
    }
}

/// How a check is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckState {
    /// Never pinged yet: nothing is expected.
    New,
    /// Pinged on time, last outcome a success.
    Up,
    /// The expected ping is overdue but still within the grace time.
    Late,
    /// The ping is overdue past the grace time, or the job reported a failure, or it started
    /// and did not finish within the grace time.
    Down,
}

/// What a ping says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "code", rename_all = "kebab-case")]
pub enum PingKind {
    /// `/ping/<id>`: the job finished fine.
    Success,
    /// `/ping/<id>/start`: the job began.
    Start,
    /// `/ping/<id>/fail`: the job failed.
    Fail,
    /// `/ping/<id>/<code>`: the job exited with this status (0 is a success).
    ExitCode(u8),
}

impl PingKind {
    /// The kind for the part of a ping URL after the check's id (`""`, `start`, `fail`, or an
    /// exit status 0–255). `None` for anything else.
    pub fn from_path_suffix(suffix: &str) -> Option<Self> {
        match suffix.trim_matches('/') {
            "" => Some(PingKind::Success),
            "start" => Some(PingKind::Start),
            "fail" => Some(PingKind::Fail),
            code if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) => {
                code.parse::<u8>().ok().map(PingKind::ExitCode)
            }
            _ => None,
        }
    }

    /// The path suffix that produces this kind (inverse of [`Self::from_path_suffix`]).
    pub fn path_suffix(self) -> String {
        match self {
            PingKind::Success => String::new(),
            PingKind::Start => "/start".into(),
            PingKind::Fail => "/fail".into(),
            PingKind::ExitCode(code) => format!("/{code}"),
        }
    }

    /// Whether the ping reports a finished job that failed.
    pub fn is_failure(self) -> bool {
        matches!(self, PingKind::Fail) || matches!(self, PingKind::ExitCode(c) if c != 0)
    }
}

/// One received ping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ping {
    pub at: DateTime<Utc>,
    pub kind: PingKind,
    /// The first 10 KiB of the request body (output tails, error messages).
    #[serde(default)]
    pub body: String,
}

/// A heartbeat check and its current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartbeatCheck {
    /// Also the secret part of its ping URL.
    pub id: Uuid,
    pub name: String,
    pub schedule: CheckSchedule,
    pub state: CheckState,
    pub created_at: DateTime<Utc>,
    /// Last finish ping (success or failure).
    #[serde(default)]
    pub last_ping: Option<Ping>,
    /// A start ping not yet followed by a finish.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// When the state last changed.
    #[serde(default)]
    pub state_since: Option<DateTime<Utc>>,
}
