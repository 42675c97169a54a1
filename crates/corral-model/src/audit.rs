//! Audit events: every state change, as an entry in the tamper-evident log.
//!
//! An event's [canonical bytes](AuditEvent::canonical_bytes) are what the Merkle tree hashes.
//! They are JSON with a fixed field order and the `data` object's keys sorted, so the same
//! event always hashes the same, in any process, on any database.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Position in the log, from 0. Also the Merkle tree leaf index.
    pub seq: u64,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who did it: an e-mail, a token name, or `policy`/`system`.
    pub actor: String,
    /// What happened, as `noun.verb`: `asset.registered`, `review.approved`, `token.issued`…
    pub action: String,
    /// What it happened to, e.g. an asset id.
    #[serde(default)]
    pub subject: Option<String>,
    /// The facts of the change (never secrets).
    pub data: serde_json::Value,
}

/// Serialised shape of the canonical form; field order is part of the format.
#[derive(Serialize)]
struct Canonical<'a> {
    v: u32,
    seq: u64,
    id: &'a Uuid,
    at: String,
    actor: &'a str,
    action: &'a str,
    subject: Option<&'a str>,
    data: &'a serde_json::Value,
}

impl AuditEvent {
    /// The bytes the Merkle tree hashes for this entry.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let canonical = Canonical {
            v: 1,
            seq: self.seq,
            id: &self.id,
            at: self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            actor: &self.actor,
            action: &self.action,
            subject: self.subject.as_deref(),
            data: &sort_keys(&self.data),
        };
        serde_json::to_vec(&canonical).expect("audit events serialise")
    }
}

/// A copy of `value` with every object's keys sorted (independent of serde_json features).
fn sort_keys(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sort_keys).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(data: serde_json::Value) -> AuditEvent {
        AuditEvent {
            seq: 7,
            id: Uuid::nil(),
            at: DateTime::parse_from_rfc3339("2026-11-20T15:00:00.123456Z")
                .unwrap()
                .with_timezone(&Utc),
            actor: "ana@example.com".into(),
            action: "asset.registered".into(),
            subject: Some("lead-scoring".into()),
            data,
        }
    }

    #[test]
    fn canonical_bytes_do_not_depend_on_key_order() {
        let a = event(json!({"b": 1, "a": {"y": 2, "x": 3}}));
        let b = event(json!({"a": {"x": 3, "y": 2}, "b": 1}));
        assert_eq!(a.canonical_bytes(), b.canonical_bytes());
    }

    #[test]
    fn canonical_bytes_have_a_fixed_documented_shape() {
        let bytes = event(json!({"tier": 3})).canonical_bytes();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"v":1,"seq":7,"id":"00000000-0000-0000-0000-000000000000","at":"2026-11-20T15:00:00.123456Z","actor":"ana@example.com","action":"asset.registered","subject":"lead-scoring","data":{"tier":3}}"#
        );
    }

    #[test]
    fn any_change_changes_the_canonical_bytes() {
        let base = event(json!({"tier": 3})).canonical_bytes();
        let mut e = event(json!({"tier": 3}));
        e.actor = "mallory@example.com".into();
        assert_ne!(base, e.canonical_bytes());
        assert_ne!(base, event(json!({"tier": 2})).canonical_bytes());
    }
}
