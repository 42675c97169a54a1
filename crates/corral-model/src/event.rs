//! Events: things people should hear about, delivered by the notification dispatcher.
//!
//! Features emit events and never call HTTP themselves; one dispatcher (in the server) delivers
//! each event to the Slack or webhook targets configured for its kind, with retries. An event
//! carries its own human text so every channel says the same thing.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// An asset was registered.
    Registration,
    /// A review was opened and waits for a reviewer.
    ReviewRequested,
    /// A review passed its deadline.
    ReviewOverdue,
    /// A decision was taken (approved, blocked, changes requested, rejected).
    Decision,
    /// An asset's attestation passed its due date.
    AttestationOverdue,
    /// People left and their assets were handed over.
    Handover,
    /// A scan or advisory update found new problems in an asset.
    Finding,
    /// A scheduled job failed after its last retry, missed its slot, or went quiet.
    JobAlert,
    /// A job recovered after failing.
    JobRecovered,
    /// A heartbeat check went late or down.
    HeartbeatAlert,
    /// The package gate blocked a package or received a request.
    Gate,
    /// New advisory data (or a new scan) showed an asset to use an affected package.
    AdvisoryMatch,
}

impl EventKind {
    pub const ALL: [EventKind; 12] = [
        EventKind::Registration,
        EventKind::ReviewRequested,
        EventKind::ReviewOverdue,
        EventKind::Decision,
        EventKind::AttestationOverdue,
        EventKind::Handover,
        EventKind::Finding,
        EventKind::JobAlert,
        EventKind::JobRecovered,
        EventKind::HeartbeatAlert,
        EventKind::Gate,
        EventKind::AdvisoryMatch,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Registration => "registration",
            EventKind::ReviewRequested => "review-requested",
            EventKind::ReviewOverdue => "review-overdue",
            EventKind::Decision => "decision",
            EventKind::AttestationOverdue => "attestation-overdue",
            EventKind::Handover => "handover",
            EventKind::Finding => "finding",
            EventKind::JobAlert => "job-alert",
            EventKind::JobRecovered => "job-recovered",
            EventKind::HeartbeatAlert => "heartbeat-alert",
            EventKind::Gate => "gate",
            EventKind::AdvisoryMatch => "advisory-match",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EventKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                let all: Vec<_> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "unknown event kind `{s}`: expected one of {}",
                    all.join(", ")
                )
            })
    }
}

/// One notification-worthy event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: Uuid,
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub asset_id: Option<Uuid>,
    /// One line, e.g. "lead-scoring needs a security review by 2026-11-27".
    pub title: String,
    /// A few lines of detail.
    pub body: String,
    /// Who should hear about it beyond the configured channels (owners, reviewers).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Structured facts for generic webhooks.
    #[serde(default)]
    pub data: serde_json::Value,
}

impl Event {
    pub fn new(kind: EventKind, title: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            id: Uuid::now_v7(),
            kind,
            at: Utc::now(),
            asset_id: None,
            title: title.into(),
            body: body.into(),
            recipients: Vec::new(),
            data: serde_json::Value::Null,
        }
    }
}
